using Pipeline.Contracts.Provider.V1;
using Pipeline.Grpc;
using Pipeline.ServiceDefaults;
using Router.Service.Catalogue;

namespace Router.Service.Generation;

/// <summary>
/// The provider adapters, found through service discovery under the chunk's adapter name (<c>openai</c>,
/// <c>openrouter</c>, endpoint <c>grpc</c>). An adapter with no configured address fails as UNAVAILABLE.
/// </summary>
public sealed class AdapterClients(GrpcChannelFactory channels)
{
    /// <summary>The client of <paramref name="adapter"/>.</summary>
    public ProviderAdapterGrpc.ProviderAdapterClient For(AdapterKind adapter)
    {
        try
        {
            return new ProviderAdapterGrpc.ProviderAdapterClient(channels.Get(adapter.Name()));
        }
        catch (InvalidOperationException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message), innerException: ex);
        }
    }
}

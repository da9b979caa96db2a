using Grpc.Net.ClientFactory;
using Pipeline.Contracts.Provider.V1;
using Router.Service.Catalogue;

namespace Router.Service.Generation;

/// <summary>
/// The provider adapters' typed clients, one named client per <see cref="AdapterKind"/> (<c>openai</c>,
/// <c>openrouter</c>), each addressed by service discovery at the adapter's <c>grpc</c> endpoint. An adapter with no
/// configured address fails as UNAVAILABLE naming the key to set.
/// </summary>
public sealed class AdapterClients(GrpcClientFactory clients)
{
    /// <summary>Largest message exchanged with an adapter: 64 MiB (edit requests carry every input image).</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    /// <summary>The client of <paramref name="adapter"/>.</summary>
    public ProviderAdapter.ProviderAdapterClient For(AdapterKind adapter) =>
        clients.CreateClient<ProviderAdapter.ProviderAdapterClient>(adapter.Name());

    /// <summary>Registers a named client for every adapter kind.</summary>
    public static void Register(IServiceCollection services)
    {
        foreach (var adapter in Enum.GetValues<AdapterKind>())
        {
            services.AddServiceGrpcClient<ProviderAdapter.ProviderAdapterClient>(adapter.Name(), MaxMessageBytes, name: adapter.Name());
        }
        services.AddSingleton<AdapterClients>();
    }
}

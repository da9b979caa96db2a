using Google.Protobuf.Reflection;
using Pipeline.Grpc;

namespace Pipeline.Contracts.Provider.V1;

/// <summary>The methods, server base class and client of <c>provider.v1.ProviderAdapter</c> (see adapter.proto).</summary>
public static class ProviderAdapterGrpc
{
    /// <summary>Call metadata that overrides the adapter's configured provider key (bring your own key).</summary>
    public const string ProviderKeyHeader = "x-provider-key";

    /// <summary>The service descriptor.</summary>
    public static ServiceDescriptor Descriptor => AdapterReflection.Descriptor.Services[0];

    public static readonly Method<ProviderRequest, ProviderFrame> Generate = Method<ProviderRequest, ProviderFrame>.From(Descriptor, nameof(Generate));
    public static readonly Method<ListModelsRequest, ListModelsResponse> ListModels = Method<ListModelsRequest, ListModelsResponse>.From(Descriptor, nameof(ListModels));

    /// <summary>Binds every method to <typeparamref name="T"/>'s overrides.</summary>
    public static GrpcServiceDefinition<T> BindService<T>() where T : ProviderAdapterBase =>
        new GrpcServiceDefinition<T>(Descriptor)
            .ServerStreaming(Generate, (s, r, w, c) => s.Generate(r, w, c))
            .Unary(ListModels, (s, r, c) => s.ListModels(r, c));

    /// <summary>Server side: override the methods the adapter implements; the rest answer UNIMPLEMENTED.</summary>
    public abstract class ProviderAdapterBase
    {
        public virtual Task Generate(ProviderRequest request, IServerStreamWriter<ProviderFrame> responseStream, ServerCallContext context) => throw Unimplemented();
        public virtual Task<ListModelsResponse> ListModels(ListModelsRequest request, ServerCallContext context) => throw Unimplemented();
    }

    /// <summary>Client side.</summary>
    public sealed class ProviderAdapterClient(GrpcChannel channel)
    {
        public AsyncServerStreamingCall<ProviderFrame> Generate(ProviderRequest request, CallOptions options = default) => channel.ServerStreaming(ProviderAdapterGrpc.Generate, request, options);
        public Task<ListModelsResponse> ListModelsAsync(ListModelsRequest request, CallOptions options = default) => channel.UnaryAsync(ListModels, request, options);
    }

    private static RpcException Unimplemented() => new(new Status(StatusCode.Unimplemented, "Method is unimplemented."));
}

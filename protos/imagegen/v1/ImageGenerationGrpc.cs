using Google.Protobuf.Reflection;
using Pipeline.Grpc;

namespace Pipeline.Contracts.ImageGen.V1;

/// <summary>The methods, server base class and client of <c>imagegen.v1.ImageGeneration</c> (see generation.proto).</summary>
public static class ImageGenerationGrpc
{
    /// <summary>The service descriptor.</summary>
    public static ServiceDescriptor Descriptor => GenerationReflection.Descriptor.Services[0];

    public static readonly Method<GenerateRequest, GenerateFrame> Generate = Method<GenerateRequest, GenerateFrame>.From(Descriptor, nameof(Generate));
    public static readonly Method<ListConfigsRequest, ListConfigsResponse> ListConfigs = Method<ListConfigsRequest, ListConfigsResponse>.From(Descriptor, nameof(ListConfigs));
    public static readonly Method<GetRunRequest, Run> GetRun = Method<GetRunRequest, Run>.From(Descriptor, nameof(GetRun));

    /// <summary>Binds every method to <typeparamref name="T"/>'s overrides.</summary>
    public static GrpcServiceDefinition<T> BindService<T>() where T : ImageGenerationBase =>
        new GrpcServiceDefinition<T>(Descriptor)
            .ServerStreaming(Generate, (s, r, w, c) => s.Generate(r, w, c))
            .Unary(ListConfigs, (s, r, c) => s.ListConfigs(r, c))
            .Unary(GetRun, (s, r, c) => s.GetRun(r, c));

    /// <summary>Server side: override the methods the service implements; the rest answer UNIMPLEMENTED.</summary>
    public abstract class ImageGenerationBase
    {
        public virtual Task Generate(GenerateRequest request, IServerStreamWriter<GenerateFrame> responseStream, ServerCallContext context) => throw Unimplemented();
        public virtual Task<ListConfigsResponse> ListConfigs(ListConfigsRequest request, ServerCallContext context) => throw Unimplemented();
        public virtual Task<Run> GetRun(GetRunRequest request, ServerCallContext context) => throw Unimplemented();
    }

    /// <summary>Client side.</summary>
    public sealed class ImageGenerationClient(GrpcChannel channel)
    {
        public AsyncServerStreamingCall<GenerateFrame> Generate(GenerateRequest request, CallOptions options = default) => channel.ServerStreaming(ImageGenerationGrpc.Generate, request, options);
        public Task<ListConfigsResponse> ListConfigsAsync(ListConfigsRequest request, CallOptions options = default) => channel.UnaryAsync(ListConfigs, request, options);
        public Task<Run> GetRunAsync(GetRunRequest request, CallOptions options = default) => channel.UnaryAsync(GetRun, request, options);
    }

    private static RpcException Unimplemented() => new(new Status(StatusCode.Unimplemented, "Method is unimplemented."));
}

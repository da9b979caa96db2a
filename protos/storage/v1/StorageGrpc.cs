using Google.Protobuf.Reflection;
using Pipeline.Grpc;

namespace Pipeline.Contracts.Storage.V1;

/// <summary>The methods, server base class and client of <c>storage.v1.Storage</c> (see storage.proto).</summary>
public static class StorageGrpc
{
    /// <summary>The service descriptor.</summary>
    public static ServiceDescriptor Descriptor => StorageReflection.Descriptor.Services[0];

    public static readonly Method<PutImageRequest, PutImageResponse> PutImage = Method<PutImageRequest, PutImageResponse>.From(Descriptor, nameof(PutImage));
    public static readonly Method<GetImageRequest, ImageChunk> GetImage = Method<GetImageRequest, ImageChunk>.From(Descriptor, nameof(GetImage));
    public static readonly Method<RunRecord, RunRecord> UpsertRun = Method<RunRecord, RunRecord>.From(Descriptor, nameof(UpsertRun));
    public static readonly Method<GetRunRequest, RunRecord> GetRun = Method<GetRunRequest, RunRecord>.From(Descriptor, nameof(GetRun));
    public static readonly Method<ListRunsRequest, ListRunsResponse> ListRuns = Method<ListRunsRequest, ListRunsResponse>.From(Descriptor, nameof(ListRuns));
    public static readonly Method<DeleteRunRequest, DeleteRunResponse> DeleteRun = Method<DeleteRunRequest, DeleteRunResponse>.From(Descriptor, nameof(DeleteRun));
    public static readonly Method<SplitGridRequest, SplitGridResponse> SplitGrid = Method<SplitGridRequest, SplitGridResponse>.From(Descriptor, nameof(SplitGrid));

    /// <summary>Binds every method to <typeparamref name="T"/>'s overrides.</summary>
    public static GrpcServiceDefinition<T> BindService<T>() where T : StorageBase =>
        new GrpcServiceDefinition<T>(Descriptor)
            .Unary(PutImage, (s, r, c) => s.PutImage(r, c))
            .ServerStreaming(GetImage, (s, r, w, c) => s.GetImage(r, w, c))
            .Unary(UpsertRun, (s, r, c) => s.UpsertRun(r, c))
            .Unary(GetRun, (s, r, c) => s.GetRun(r, c))
            .Unary(ListRuns, (s, r, c) => s.ListRuns(r, c))
            .Unary(DeleteRun, (s, r, c) => s.DeleteRun(r, c))
            .Unary(SplitGrid, (s, r, c) => s.SplitGrid(r, c));

    /// <summary>Server side: override the methods the service implements; the rest answer UNIMPLEMENTED.</summary>
    public abstract class StorageBase
    {
        public virtual Task<PutImageResponse> PutImage(PutImageRequest request, ServerCallContext context) => throw Unimplemented();
        public virtual Task GetImage(GetImageRequest request, IServerStreamWriter<ImageChunk> responseStream, ServerCallContext context) => throw Unimplemented();
        public virtual Task<RunRecord> UpsertRun(RunRecord request, ServerCallContext context) => throw Unimplemented();
        public virtual Task<RunRecord> GetRun(GetRunRequest request, ServerCallContext context) => throw Unimplemented();
        public virtual Task<ListRunsResponse> ListRuns(ListRunsRequest request, ServerCallContext context) => throw Unimplemented();
        public virtual Task<DeleteRunResponse> DeleteRun(DeleteRunRequest request, ServerCallContext context) => throw Unimplemented();
        public virtual Task<SplitGridResponse> SplitGrid(SplitGridRequest request, ServerCallContext context) => throw Unimplemented();
    }

    /// <summary>Client side.</summary>
    public sealed class StorageClient(GrpcChannel channel)
    {
        public Task<PutImageResponse> PutImageAsync(PutImageRequest request, CallOptions options = default) => channel.UnaryAsync(PutImage, request, options);
        public AsyncServerStreamingCall<ImageChunk> GetImage(GetImageRequest request, CallOptions options = default) => channel.ServerStreaming(StorageGrpc.GetImage, request, options);
        public Task<RunRecord> UpsertRunAsync(RunRecord request, CallOptions options = default) => channel.UnaryAsync(UpsertRun, request, options);
        public Task<RunRecord> GetRunAsync(GetRunRequest request, CallOptions options = default) => channel.UnaryAsync(GetRun, request, options);
        public Task<ListRunsResponse> ListRunsAsync(ListRunsRequest request, CallOptions options = default) => channel.UnaryAsync(ListRuns, request, options);
        public Task<DeleteRunResponse> DeleteRunAsync(DeleteRunRequest request, CallOptions options = default) => channel.UnaryAsync(DeleteRun, request, options);
        public Task<SplitGridResponse> SplitGridAsync(SplitGridRequest request, CallOptions options = default) => channel.UnaryAsync(SplitGrid, request, options);
    }

    private static RpcException Unimplemented() => new(new Status(StatusCode.Unimplemented, "Method is unimplemented."));
}

using Google.Protobuf;
using Grpc.Core;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;
using Storage.Service.Grid;
using Storage.Service.Metadata;
using Storage.Service.Tenancy;
using StorageContract = Pipeline.Contracts.Storage.V1.Storage;

namespace Storage.Service.Grpc;

/// <summary>
/// <c>storage.v1.Storage</c>. Translates messages to <see cref="StorageEngine"/> calls; its
/// <see cref="StorageException"/>s become statuses in <see cref="StorageStatusMapper"/>.
/// </summary>
public sealed class StorageGrpcService(StorageEngine engine, GridSplitter splitter) : StorageContract.StorageBase
{
    private const int DefaultChunkSize = 64 * 1024;
    private const int MaxChunkSize = 1024 * 1024;

    public override async Task<PutImageResponse> PutImage(PutImageRequest request, ServerCallContext context)
    {
        var (image, deduplicated) = await engine.PutImageAsync(
            request.Run, request.ImageIndex, request.Data.Memory, request.MimeType, request.ImageId, CallerOf(context), context.CancellationToken);
        return new PutImageResponse { Image = image, Deduplicated = deduplicated };
    }

    public override async Task GetImage(GetImageRequest request, IServerStreamWriter<ImageChunk> responseStream, ServerCallContext context)
    {
        if (request.ChunkSize is < 0 or > MaxChunkSize)
        {
            StorageException.ThrowInvalid("chunk_size", $"chunk_size is {request.ChunkSize}; allowed: 1-{MaxChunkSize}, or 0 for {DefaultChunkSize}");
        }
        var chunkSize = request.ChunkSize == 0 ? DefaultChunkSize : request.ChunkSize;
        var (image, content) = await engine.OpenImageAsync(request.ImageId, "image_id", CallerOf(context), context.CancellationToken);
        await using (content)
        {
            var buffer = new byte[chunkSize];
            long offset = 0;
            var first = true;
            while (true)
            {
                var read = await content.ReadAtLeastAsync(buffer, chunkSize, throwOnEndOfStream: false, context.CancellationToken);
                if (read == 0 && !first)
                {
                    break;
                }
                var chunk = new ImageChunk { Offset = offset, Data = ByteString.CopyFrom(buffer, 0, read) };
                if (first)
                {
                    chunk.Image = image;
                    first = false;
                }
                await responseStream.WriteAsync(chunk, context.CancellationToken);
                offset += read;
                if (read < chunkSize)
                {
                    break;
                }
            }
        }
    }

    public override Task<RunRecord> UpsertRun(RunRecord request, ServerCallContext context) =>
        engine.UpsertRunAsync(request, CallerOf(context), context.CancellationToken);

    public override Task<RunRecord> GetRun(GetRunRequest request, ServerCallContext context) =>
        engine.GetRunAsync(request.RunId, "run_id", CallerOf(context), context.CancellationToken);

    public override async Task<ListRunsResponse> ListRuns(ListRunsRequest request, ServerCallContext context)
    {
        var filter = new RunFilter(request.Config, request.State,
            request.CreatedAfter is { } after ? RowValues.ToMicros(after) : null, request.CreatedBefore is { } before ? RowValues.ToMicros(before) : null);
        var (runs, next) = await engine.ListRunsAsync(request.PageSize, request.PageToken, filter, CallerOf(context), context.CancellationToken);
        var response = new ListRunsResponse { NextPageToken = next };
        response.Runs.AddRange(runs);
        return response;
    }

    public override async Task<DeleteRunResponse> DeleteRun(DeleteRunRequest request, ServerCallContext context)
    {
        var (images, blobs) = await engine.DeleteRunAsync(request.RunId, CallerOf(context), context.CancellationToken);
        return new DeleteRunResponse { ImagesDeleted = images, BlobsDeleted = blobs };
    }

    public override async Task<SplitGridResponse> SplitGrid(SplitGridRequest request, ServerCallContext context)
    {
        var tiles = await splitter.SplitAsync(request.ImageId, request.Rows, request.Columns, CallerOf(context), context.CancellationToken);
        var response = new SplitGridResponse();
        response.Tiles.AddRange(tiles);
        return response;
    }

    public override async Task<ClaimRunResponse> ClaimRun(ClaimRunRequest request, ServerCallContext context)
    {
        // Malformed caller metadata is refused on every call, though the claim's tenant is the record's.
        _ = CallerOf(context);
        return await engine.ClaimRunAsync(request.Run, request.StaleAfter, context.CancellationToken);
    }

    public override Task<GetSpendResponse> GetSpend(GetSpendRequest request, ServerCallContext context) =>
        engine.GetSpendAsync(request.Tenant, request.Since, CallerOf(context), context.CancellationToken);

    private static Caller CallerOf(ServerCallContext context) => CallerHeaders.Read(context.RequestHeaders);
}

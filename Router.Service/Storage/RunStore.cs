using Google.Protobuf;
using Microsoft.Extensions.Options;
using Grpc.Core;
using Pipeline.Contracts.Storage.V1;
using Router.Service.Generation;
using StorageClient = Pipeline.Contracts.Storage.V1.Storage.StorageClient;

namespace Router.Service.Storage;

/// <summary>
/// The router's client of Storage.Service (a typed gRPC client found through service discovery). Every call has the
/// configured timeout; writes are not cancelled by the caller of the generation (a paid image is stored even when its
/// caller left). An unconfigured storage address fails as UNAVAILABLE, like an unreachable one.
/// </summary>
public sealed class RunStore(StorageClient client, IOptions<GenerationOptions> options)
{
    /// <summary>Largest message exchanged with storage: 64 MiB (one image and its record).</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    private const int ReadChunkSize = 1024 * 1024;

    private readonly GenerationOptions _options = options.Value;

    /// <summary>Stores one image (idempotent on run id and index).</summary>
    public Task<PutImageResponse> PutImageAsync(PutImageRequest request) =>
        client.PutImageAsync(request, Call(CancellationToken.None)).ResponseAsync;

    /// <summary>Creates or updates a run record (empty fields keep their stored value).</summary>
    public Task<RunRecord> UpsertRunAsync(RunRecord run) =>
        client.UpsertRunAsync(run, Call(CancellationToken.None)).ResponseAsync;

    /// <summary>The run, or null when storage does not know it.</summary>
    public async Task<RunRecord?> FindRunAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetRunAsync(new GetRunRequest { RunId = runId }, Call(cancellationToken));
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The newest runs, at most <paramref name="pageSize"/>.</summary>
    public Task<ListRunsResponse> ListRunsAsync(int pageSize, CancellationToken cancellationToken) =>
        client.ListRunsAsync(new ListRunsRequest { PageSize = pageSize }, Call(cancellationToken)).ResponseAsync;

    /// <summary>The bytes and record of a stored image.</summary>
    public async Task<(ImageRecord Image, ByteString Data)> ReadImageAsync(string imageId, CancellationToken cancellationToken)
    {
        using var call = client.GetImage(new GetImageRequest { ImageId = imageId, ChunkSize = ReadChunkSize }, Call(cancellationToken));
        ImageRecord? image = null;
        using var buffer = new MemoryStream();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            image ??= chunk.Image;
            chunk.Data.WriteTo(buffer);
        }
        if (image is null)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"storage sent no record for image '{imageId}'"));
        }
        return (image, ByteString.CopyFrom(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private CallOptions Call(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow + _options.StorageCallTimeout, cancellationToken: cancellationToken);
}

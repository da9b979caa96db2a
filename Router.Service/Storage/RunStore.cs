using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using Grpc.Core;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;
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

    /// <summary>The run, or null when storage does not know it or <paramref name="caller"/> may not see it.</summary>
    public async Task<RunRecord?> FindRunAsync(string runId, Caller caller, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetRunAsync(new GetRunRequest { RunId = runId }, Call(cancellationToken, caller));
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>A page of the runs <paramref name="caller"/> may see, newest first.</summary>
    public Task<ListRunsResponse> ListRunsAsync(ListRunsRequest request, Caller caller, CancellationToken cancellationToken) =>
        client.ListRunsAsync(request, Call(cancellationToken, caller)).ResponseAsync;

    /// <summary>
    /// Splits a stored image into <paramref name="rows"/> × <paramref name="columns"/> tiles, stored as images of its run
    /// (like every write, not cancelled by the caller going away).
    /// </summary>
    public Task<SplitGridResponse> SplitGridAsync(string imageId, int rows, int columns, Caller caller) =>
        client.SplitGridAsync(new SplitGridRequest { ImageId = imageId, Rows = rows, Columns = columns }, Call(CancellationToken.None, caller)).ResponseAsync;

    /// <summary>Claims <paramref name="run"/>'s id (its tenant and request digest set) where the record lives.</summary>
    public Task<ClaimRunResponse> ClaimRunAsync(RunRecord run, CancellationToken cancellationToken) =>
        client.ClaimRunAsync(new ClaimRunRequest { Run = run }, Call(cancellationToken)).ResponseAsync;

    /// <summary>What <paramref name="caller"/>'s tenant spent on runs created since <paramref name="since"/>.</summary>
    public Task<GetSpendResponse> GetSpendAsync(Caller caller, DateTimeOffset since, CancellationToken cancellationToken) =>
        client.GetSpendAsync(new GetSpendRequest { Tenant = caller.Tenant, Since = Timestamp.FromDateTimeOffset(since) }, Call(cancellationToken, caller)).ResponseAsync;

    /// <summary>The bytes and record of a stored image <paramref name="caller"/> may see (NOT_FOUND otherwise).</summary>
    public async Task<(ImageRecord Image, ByteString Data)> ReadImageAsync(string imageId, Caller caller, CancellationToken cancellationToken)
    {
        using var call = client.GetImage(new GetImageRequest { ImageId = imageId, ChunkSize = ReadChunkSize }, Call(cancellationToken, caller));
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

    /// <summary>A call with the configured timeout; reads carry the <paramref name="caller"/> storage scopes them by.</summary>
    private CallOptions Call(CancellationToken cancellationToken, Caller? caller = null) =>
        new(caller?.AddTo(null), DateTime.UtcNow + _options.StorageCallTimeout, cancellationToken);
}

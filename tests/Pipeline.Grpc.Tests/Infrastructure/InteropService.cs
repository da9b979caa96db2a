using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Pipeline.Grpc.Tests.Interop.V1;

namespace Pipeline.Grpc.Tests.Infrastructure;

/// <summary>Our side of <c>interop.v1.Interop</c>; the peers implement the same behaviour in tests/Interop/.</summary>
public sealed class InteropService(CallRecorder recorder)
{
    public const string EchoedMetadataPrefix = "x-meta";

    public async Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context)
    {
        var echoed = new Metadata();
        foreach (var entry in context.RequestHeaders.Where(e => e.Key.StartsWith(EchoedMetadataPrefix, StringComparison.Ordinal)))
        {
            echoed.Add(entry);
            context.ResponseTrailers.Add(entry);
        }
        if (echoed.Count > 0)
        {
            await context.WriteResponseHeadersAsync(echoed);
        }
        if (request.Id.Length > 0)
        {
            recorder.Record(request.Id + ":encoding", context.GetHttpContext().Request.Headers["grpc-encoding"].ToString());
        }
        if (request.DelayMs > 0)
        {
            try
            {
                await Task.Delay(request.DelayMs, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                recorder.Record(request.Id, "cancelled");
                throw;
            }
        }
        return new EchoResponse
        {
            Payload = request.ResponseSize > 0 ? ByteString.CopyFrom(new byte[request.ResponseSize]) : request.Payload,
        };
    }

    public async Task Stream(StreamRequest request, IServerStreamWriter<StreamResponse> stream, ServerCallContext context)
    {
        for (var i = 0; i < request.Count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(request.IntervalMs, context.CancellationToken);
            }
            await stream.WriteAsync(new StreamResponse
            {
                Index = i,
                SentAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                Payload = ByteString.CopyFrom(new byte[request.PayloadSize]),
            });
        }
    }

    public Task<EchoResponse> Fail(FailRequest request, ServerCallContext context)
    {
        var status = new Status((StatusCode)request.Code, request.Message);
        if (request.RetryDelayMs > 0)
        {
            status = status.WithDetails(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(request.RetryDelayMs)) });
        }
        throw new RpcException(status);
    }

    public async Task WaitForCancel(WaitRequest request, IServerStreamWriter<StreamResponse> stream, ServerCallContext context)
    {
        await stream.WriteAsync(new StreamResponse { Index = 0, SentAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            recorder.Record(request.Id, "cancelled");
            throw;
        }
    }

    public Task<CancelReport> GetCancelled(WaitRequest request, ServerCallContext context) =>
        System.Threading.Tasks.Task.FromResult(new CancelReport { Cancelled = recorder.HasOutcome(request.Id) });
}

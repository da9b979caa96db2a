using System.Text;
using Google.Protobuf;
using Pipeline.Contracts.ImageGen.V1;
using Router.Service.Generation;
using RpcStatus = Google.Rpc.Status;

namespace Router.Service.Http;

/// <summary>
/// Writes a generation as server-sent events, starting the response with the first event: <c>event: accepted|fallback|partial|final|error</c> and one <c>data:</c> line of
/// protobuf JSON, each flushed at once. Headers: <c>text/event-stream; charset=utf-8</c>, <c>Cache-Control: no-cache</c>,
/// <c>X-Accel-Buffering: no</c> (so proxies do not hold frames back).
/// </summary>
internal sealed class SseGenerationSink(HttpResponse response) : IGenerationSink
{
    public const string ContentType = "text/event-stream; charset=utf-8";

    /// <summary>True once the status line and headers went out (with the first event); until then an error can still be a ProblemDetails.</summary>
    public bool Started => response.HasStarted;

    /// <summary>Sends the status line and headers.</summary>
    private Task StartAsync(CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        return response.StartAsync(cancellationToken);
    }

    public Task WriteAsync(GenerateFrame frame, CancellationToken cancellationToken)
    {
        (string Name, IMessage Message) item = frame.FrameCase switch
        {
            GenerateFrame.FrameOneofCase.Accepted => ("accepted", frame.Accepted),
            GenerateFrame.FrameOneofCase.Partial => ("partial", frame.Partial),
            GenerateFrame.FrameOneofCase.Final => ("final", frame.Final),
            GenerateFrame.FrameOneofCase.Fallback => ("fallback", frame.Fallback),
            _ => throw new ArgumentException($"frame {frame.FrameCase} has no event name", nameof(frame)),
        };
        return WriteEventAsync(item.Name, ProtoJson.Formatter.Format(item.Message), cancellationToken);
    }

    /// <summary>Sends an <c>error</c> event (the stream ends after it).</summary>
    public Task WriteErrorAsync(RpcStatus status, CancellationToken cancellationToken) =>
        WriteEventAsync("error", HttpProblems.ErrorEventJson(status), cancellationToken);

    private async Task WriteEventAsync(string name, string json, CancellationToken cancellationToken)
    {
        if (!response.HasStarted)
        {
            await StartAsync(cancellationToken);
        }
        await response.BodyWriter.WriteAsync(Encoding.UTF8.GetBytes($"event: {name}\ndata: {json}\n\n"), cancellationToken);
        await response.BodyWriter.FlushAsync(cancellationToken);
    }
}

using Pipeline.ServiceDefaults.Security;
using System.Text;
using Google.Protobuf;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Storage.V1;
using Grpc.Core;

namespace Gateway.Tests.TestSupport;

/// <summary>
/// The fake router's HTTP API, per the router HTTP API contract: <c>POST /api/generate</c> (SSE: accepted, fallback,
/// partial, final, error), <c>GET /api/configs</c>, <c>GET /api/runs</c> (from the real storage) and <c>GET /api/runs/{id}</c>.
/// </summary>
internal static class FakeRouterHttpApi
{
    private static readonly JsonFormatter s_json = new(JsonFormatter.Settings.Default);

    public static void Map(WebApplication app)
    {
        app.MapGet("/api/configs", (HttpContext context, FakeRouterScript script, CallLog calls) =>
        {
            Record(context, calls);
            var language = context.Request.Query["language"].ToString() is { Length: > 0 } l ? l : context.Request.Headers.AcceptLanguage.ToString();
            return Json(FakeCatalogue.Localize(script.Catalogue, language));
        });
        app.MapPost("/api/generate", GenerateAsync);
        app.MapGet("/api/runs", async (HttpContext context, int? limit, StorageBackend storage, CallLog calls) =>
        {
            Record(context, calls);
            var page = await storage.Client.ListRunsAsync(new Pipeline.Contracts.Storage.V1.ListRunsRequest { PageSize = limit ?? 20 }, deadline: DateTime.UtcNow + TestTimeouts.Default);
            var json = new StringBuilder("{\"runs\":[");
            json.AppendJoin(',', page.Runs.Select(r => s_json.Format(ToRun(r))));
            json.Append("]}");
            return Results.Text(json.ToString(), "application/json; charset=utf-8");
        });
        app.MapGet("/api/runs/{runId}", async (HttpContext context, string runId, StorageBackend storage, CallLog calls) =>
        {
            Record(context, calls);
            var run = await storage.Client.GetRunAsync(new Pipeline.Contracts.Storage.V1.GetRunRequest { RunId = runId }, deadline: DateTime.UtcNow + TestTimeouts.Default);
            return Json(ToRun(run));
        });
    }

    private static async Task GenerateAsync(HttpContext context, CallLog calls, FakeGeneration generation)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        var request = JsonParser.Default.Parse<GenerateRequest>(body);
        calls.Add(new RecordedCall("POST /api/generate", request, context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null)
        {
            Headers = RecordedCall.Of(context.Request.Headers),
        });
        await using var frames = generation.RunAsync(request, Caller.From(context.Request.Headers), context.RequestAborted).GetAsyncEnumerator();
        try
        {
            if (!await frames.MoveNextAsync())
            {
                return;
            }
        }
        catch (RpcException ex)
        {
            // Failures before the stream starts are ProblemDetails, not events.
            await Results.Problem(title: ex.StatusCode.ToString(), detail: ex.Status.Detail, statusCode: 400).ExecuteAsync(context);
            return;
        }
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            do
            {
                var frame = frames.Current;
                var (name, message) = frame.FrameCase switch
                {
                    GenerateFrame.FrameOneofCase.Accepted => ("accepted", (IMessage)frame.Accepted),
                    GenerateFrame.FrameOneofCase.Partial => ("partial", frame.Partial),
                    // Named by the frame case, as the router's SSE sink names them.
                    GenerateFrame.FrameOneofCase.Fallback => ("fallback", frame.Fallback),
                    _ => ("final", frame.Final),
                };
                await WriteEventAsync(context, name, s_json.Format(message));
            }
            while (await frames.MoveNextAsync());
        }
        catch (RpcException ex)
        {
            await WriteEventAsync(context, "error", $"{{\"code\":\"{ex.StatusCode}\",\"status\":{(int)ex.StatusCode},\"message\":{System.Text.Json.JsonSerializer.Serialize(ex.Status.Detail)}}}");
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string name, string data)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {data}\n\n");
        await context.Response.Body.FlushAsync();
    }

    private static void Record(HttpContext context, CallLog calls) => calls.Add(new RecordedCall(
        $"{context.Request.Method} {context.Request.Path}", null,
        context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null,
        context.Request.QueryString.Value ?? "") { Headers = RecordedCall.Of(context.Request.Headers) });

    private static IResult Json(IMessage message) => Results.Text(s_json.Format(message), "application/json; charset=utf-8");

    /// <summary>A stored run as the public API shows it (as the router maps it).</summary>
    public static Run ToRun(RunRecord record)
    {
        var run = new Run
        {
            RunId = record.RunId,
            Config = record.Config,
            Mode = record.Mode,
            Provider = record.Provider,
            Model = record.Model,
            Operation = record.Operation,
            Prompt = record.Prompt,
            RevisedPrompt = record.RevisedPrompt,
            Status = record.State switch
            {
                RunState.Running => RunStatus.Running,
                RunState.Succeeded => RunStatus.Succeeded,
                RunState.Failed => RunStatus.Failed,
                _ => RunStatus.Unspecified,
            },
            CreatedAt = record.CreatedAt,
            CompletedAt = record.CompletedAt,
            CostUsdMicros = record.CostUsdMicros,
            Error = record.Error,
        };
        run.Images.Add(record.Images.Select(i => new RunImage
        {
            ImageId = i.ImageId,
            ImageIndex = i.ImageIndex,
            MimeType = i.MimeType,
            Width = i.Width,
            Height = i.Height,
            SizeBytes = i.SizeBytes,
            Sha256 = i.Sha256,
            UrlPath = "/images/" + i.ImageId,
        }));
        return run;
    }
}

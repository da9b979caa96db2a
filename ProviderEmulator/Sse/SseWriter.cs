using System.Text;
using System.Text.Json.Nodes;
using ProviderEmulator.Faults;
using ProviderEmulator.Hosting;

namespace ProviderEmulator.Sse;

/// <summary>
/// Server-sent events as the providers write them: OpenAI <c>event:</c> + <c>data:</c> pairs, OpenRouter <c>data:</c> lines and
/// <c>: comment</c> keep-alives. Each event is flushed on its own.
/// </summary>
internal sealed class SseWriter
{
    private readonly HttpContext _context;

    private SseWriter(HttpContext context) => _context = context;

    public static async Task<SseWriter> StartAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(context.RequestAborted);
        return new SseWriter(context);
    }

    /// <summary>OpenAI: <c>event: type</c> then <c>data: json</c>.</summary>
    public Task EventAsync(string type, JsonNode data) => WriteAsync($"event: {type}\ndata: {Text(data)}\n\n");

    /// <summary>OpenAI event with a raw (possibly broken) data line, for the malformed-json fault.</summary>
    public Task RawEventAsync(string type, string data) => WriteAsync($"event: {type}\ndata: {data}\n\n");

    /// <summary>OpenRouter: <c>data: json</c>.</summary>
    public Task DataAsync(JsonNode data) => WriteAsync($"data: {Text(data)}\n\n");

    public Task RawDataAsync(string data) => WriteAsync($"data: {data}\n\n");

    /// <summary>A comment line such as <c>: OPENROUTER PROCESSING</c>.</summary>
    public Task CommentAsync(string text) => WriteAsync($": {text}\n\n");

    /// <summary>The per-partial delay of the <c>partial-delay</c> fault.</summary>
    public Task PauseAsync()
    {
        var delay = EmulatorRequest.Get(_context).Faults.PartialDelay;
        return delay > TimeSpan.Zero ? Task.Delay(delay, _context.RequestAborted) : Task.CompletedTask;
    }

    public Task CutAsync() => BodyWriter.CutAsync(_context);

    private string Text(JsonNode data) => ReplyMutator.For(_context) is { } mutator ? mutator.MutateText(data) : EmulatorJson.Serialize(data);

    private Task WriteAsync(string text) => BodyWriter.WriteAsync(_context, Encoding.UTF8.GetBytes(text));
}

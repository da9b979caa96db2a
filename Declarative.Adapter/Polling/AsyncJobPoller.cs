using System.Text.Json.Nodes;
using Declarative.Adapter.Http;
using Declarative.Adapter.Json;
using Declarative.Adapter.Output;
using Declarative.Adapter.Templates;

namespace Declarative.Adapter.Polling;

/// <summary>
/// Runs an async job (<c>api_config.async</c>) to its end: polls the status URL from the create reply every interval until a
/// succeeded or failed status, and returns the succeeded status document (the output is read from it). Status and cancel URLs
/// must be on the endpoint's origin. When the call ends early (cancel, deadline, a failed poll) the job's cancel URL gets a
/// best-effort POST with its own short timeout, so the provider stops working (and billing) for nobody.
/// </summary>
internal sealed class AsyncJobPoller(HttpClient http, DeclarativeOptions options, TimeProvider time, ILogger<AsyncJobPoller> logger)
{
    public async Task<JsonNode?> RunAsync(PreparedCall call, JsonNode? created, CancellationToken ct)
    {
        var polling = call.Chunk.Async!;
        var chunk = call.Chunk.Name;
        var statusUrl = FindUrl(call, created, polling.StatusUrlPath, "status")
            ?? throw ImageSources.Malformed($"the create reply has no status URL at '{polling.StatusUrlPath}'");
        var cancelUrl = polling.CancelUrlPath is { } cancelPath ? FindUrl(call, created, cancelPath, "cancel") : null;
        var interval = options.PollInterval ?? polling.Interval;
        DeclarativeLog.JobCreated(logger, chunk, call.Chunk.Provider, call.Scrub(statusUrl.GetLeftPart(UriPartial.Path)), (long)interval.TotalMilliseconds);
        var document = created;
        var polls = 0;
        try
        {
            while (true)
            {
                var status = polling.StatusPath.FirstString(document);
                if (status is not null && polling.Succeeded.Contains(status))
                {
                    DeclarativeLog.JobEnded(logger, chunk, status, polls);
                    return document;
                }
                if (status is not null && polling.Failed.Contains(status))
                {
                    DeclarativeLog.JobEnded(logger, chunk, status, polls);
                    cancelUrl = null;
                    throw ErrorTranslator.FromJobFailure(call, status, ErrorText(polling.ErrorPath, document), null);
                }
                await Task.Delay(interval, time, ct);
                using var request = ChunkRequests.Poll(call, statusUrl);
                using var response = await http.SendAsync(request, ct);
                if (!response.IsSuccessStatusCode)
                {
                    throw await ErrorTranslator.FromResponseAsync(response, call, ct);
                }
                document = await ReplyReader.ReadJsonAsync(response, "the status document", ct);
                cancelUrl ??= polling.CancelUrlPath is { } path ? FindUrl(call, document, path, "cancel") : null;
                DeclarativeLog.JobPolled(logger, chunk, ++polls, polling.StatusPath.FirstString(document));
            }
        }
        catch (Exception ex) when (cancelUrl is not null)
        {
            await CancelAsync(call, cancelUrl, ex is OperationCanceledException ? "cancelled or past its deadline" : "failed");
            throw;
        }
    }

    private async Task CancelAsync(PreparedCall call, Uri url, string reason)
    {
        var shown = call.Scrub(url.GetLeftPart(UriPartial.Path));
        using var timeout = new CancellationTokenSource(options.CancelTimeout, time);
        try
        {
            using var request = ChunkRequests.Cancel(call, url);
            using var response = await http.SendAsync(request, timeout.Token);
            DeclarativeLog.JobCancelled(logger, call.Chunk.Name, reason, shown, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            DeclarativeLog.JobCancelFailed(logger, call.Chunk.Name, shown, call.Scrub(ex.Message));
        }
    }

    /// <summary>The URL at <paramref name="path"/> (absolute, or relative to the endpoint), refused unless on the endpoint's origin.</summary>
    private static Uri? FindUrl(PreparedCall call, JsonNode? document, JsonPath path, string what)
    {
        if (path.FirstString(document) is not { Length: > 0 } text)
        {
            return null;
        }
        if (!Uri.TryCreate(call.Endpoint, text, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw ImageSources.Malformed($"the {what} URL at '{path}' is not an http(s) URL");
        }
        if (!call.IsSameOrigin(url))
        {
            throw ImageSources.Malformed(
                $"the {what} URL at '{path}' is on {url.GetLeftPart(UriPartial.Authority)}, not on the endpoint's origin " +
                $"{call.Endpoint.GetLeftPart(UriPartial.Authority)}; refusing to follow it");
        }
        return url;
    }

    private static string? ErrorText(JsonPath path, JsonNode? document) =>
        path.Select(document) is [var (_, value), ..] ? JsonPath.AsText(value) ?? value.ToJsonString() : null;
}

using System.Text.Json.Nodes;
using Declarative.Adapter.Json;

namespace Declarative.Adapter.Chunks;

/// <summary>
/// An asynchronous API (Replicate style, <c>api_config.async</c>): the create reply holds a status URL, polled every
/// <see cref="Interval"/> until the status is one of <see cref="Succeeded"/> or <see cref="Failed"/>.
/// </summary>
/// <param name="StatusUrlPath">Where the status URL is in the create reply, e.g. <c>urls.get</c>. Required.</param>
/// <param name="CancelUrlPath">Where the cancel URL is (create reply or status document), e.g. <c>urls.cancel</c>. Optional.</param>
/// <param name="StatusPath">Where the status is, e.g. <c>status</c>. Default <c>status</c>.</param>
/// <param name="Succeeded">Statuses that end the job with output. Default <c>["succeeded"]</c>.</param>
/// <param name="Failed">Statuses that end the job without. Default <c>["failed", "canceled"]</c>.</param>
/// <param name="ErrorPath">Where a failed job's error text is, e.g. <c>error</c>. Default <c>error</c>.</param>
/// <param name="Interval">Time between polls (<c>interval_seconds</c>, fractions allowed). Default 1 s.</param>
internal sealed record AsyncPolling(
    JsonPath StatusUrlPath, JsonPath? CancelUrlPath, JsonPath StatusPath, IReadOnlyList<string> Succeeded, IReadOnlyList<string> Failed,
    JsonPath ErrorPath, TimeSpan Interval)
{
    public static AsyncPolling? Read(JsonObject config, ChunkReader reader)
    {
        var async = reader.Object(config, "async", "api_config");
        if (async is null)
        {
            return null;
        }
        const string at = "api_config.async";
        var statusUrl = reader.Path(async, "status_url_path", at, required: true);
        var cancelUrl = reader.Path(async, "cancel_url_path", at);
        var status = reader.Path(async, "status_path", at) ?? JsonPath.TryParse("status", out _)!;
        var error = reader.Path(async, "error_path", at) ?? JsonPath.TryParse("error", out _)!;
        var seconds = reader.Number(async, "interval_seconds", at) ?? 1;
        if (seconds is <= 0 or > 300)
        {
            reader.Problem($"{at}.interval_seconds is {seconds}; allowed: more than 0 and at most 300");
            seconds = 1;
        }
        var succeeded = reader.Strings(async, "succeeded", at, ["succeeded"]);
        var failed = reader.Strings(async, "failed", at, ["failed", "canceled"]);
        return statusUrl is null ? null : new AsyncPolling(statusUrl, cancelUrl, status, succeeded, failed, error, TimeSpan.FromSeconds(seconds));
    }
}

using System.Diagnostics;
using System.Globalization;
using ProviderEmulator.Faults;
using ProviderEmulator.Hosting;

namespace ProviderEmulator.ComfyUI;

/// <summary>
/// Every <c>/comfyui</c> request passes here: the traffic log (started, completed, client disconnected, cut) and the
/// instance and per-request faults (<c>x-emulator-fault</c>): latency, rate limits and error statuses answered as ComfyUI's
/// aiohttp server answers (plain text), the rest attached for the endpoints. ComfyUI has no keys, so there is no auth.
/// </summary>
internal sealed class ComfyUIMiddleware(
    RequestDelegate next, EmulatorOptions options, FaultState faultState, EmulatorTrafficLog traffic, ILogger<ComfyUIMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var stopwatch = Stopwatch.StartNew();
        var path = context.Request.Path.Value ?? "/";
        var id = EmulatorJson.NewId("comfy_");
        var faultHeader = context.Request.Headers[FaultParser.HeaderName].ToString();
        traffic.Add(new EmulatorEvent(EmulatorEventKind.RequestStarted, id, context.Request.Method, path, 0, NullIfEmpty(faultHeader), DateTimeOffset.UtcNow));
        EmulatorLog.RequestStarted(logger, context.Request.Method, path, id);
        var parseError = FaultParser.TryApply(options.Faults.Default, FaultPlan.None, out var plan) ?? FaultParser.TryApply(faultHeader, plan, out plan);
        var request = new EmulatorRequest(id, ApiFamily.None, plan);
        request.Attach(context);
        try
        {
            if (parseError is not null)
            {
                await ReplyAsync(context, 400, parseError);
            }
            else if (faultState.TryTakeRateLimitedCall() || plan.RateLimitRetryAfter is not null || plan.InsufficientQuota)
            {
                context.Response.Headers.RetryAfter = (plan.RateLimitRetryAfter ?? 1).ToString(CultureInfo.InvariantCulture);
                await ReplyAsync(context, 429, "429: Too Many Requests");
            }
            else if (plan.Status is { } status)
            {
                await ReplyAsync(context, status, status == 500 ? "500 Internal Server Error\n\nServer got itself in trouble" : $"{status}: {ReasonPhrase(status)}");
            }
            else
            {
                if (plan.Latency > TimeSpan.Zero)
                {
                    await Task.Delay(plan.Latency, context.RequestAborted);
                }
                await next(context);
            }
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client went away; recorded below.
        }
        EmulatorMiddleware.Record(context, request, path, stopwatch, faultHeader, traffic, logger);
    }

    private async Task ReplyAsync(HttpContext context, int status, string text)
    {
        EmulatorLog.Rejected(logger, context.Request.Path.Value ?? "/", EmulatorRequest.Get(context).Id, status, null);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

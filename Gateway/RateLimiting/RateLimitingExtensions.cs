using System.Globalization;
using System.Threading.RateLimiting;
using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Errors;
using Microsoft.AspNetCore.RateLimiting;
using Grpc.Core;

namespace Gateway.RateLimiting;

/// <summary>
/// Per-key limits with ASP.NET Core's rate limiter, partitioned by the key's hash: a fixed window of requests for every
/// authenticated call but image reads, and a concurrency cap on generations. Refusals answer 429 + <c>retry-after</c> + the OpenAI
/// envelope (gRPC: RESOURCE_EXHAUSTED with RetryInfo) before anything reaches the router.
/// </summary>
public static class RateLimitingExtensions
{
    /// <summary>When a concurrency refusal suggests trying again, in seconds (a running generation gives no better hint).</summary>
    public const int ConcurrencyRetryAfterSeconds = 1;

    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services, GatewayOptions options)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => context.User.KeyHash() is { } key && !IsImageRead(context.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.RequestsPerWindow,
                        Window = options.Window,
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => context.User.KeyHash() is { } key && GenerationEndpoint.Is(context)
                    ? RateLimitPartition.GetConcurrencyLimiter(key, _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = options.ConcurrentStreams,
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter("")));
            limiter.OnRejected = (context, _) => new ValueTask(RejectAsync(context, options));
        });
        return services;
    }

    /// <summary>
    /// Image bytes (<c>GET /images/{id}</c>) are not counted: they come from storage, never reach a provider, and one
    /// page of recent runs loads dozens of them.
    /// </summary>
    private static bool IsImageRead(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.StartsWithSegments("/images");

    private static Task RejectAsync(OnRejectedContext context, GatewayOptions options)
    {
        var http = context.HttpContext;
        var windowed = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
        var seconds = windowed ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : ConcurrencyRetryAfterSeconds;
        var message = windowed
            ? string.Format(CultureInfo.InvariantCulture,
                "Rate limit reached for this API key: {0} requests per {1} s. Try again in {2} s.", options.RequestsPerWindow, options.Window.TotalSeconds, seconds)
            : string.Format(CultureInfo.InvariantCulture,
                "Too many generations running for this API key (at most {0} at once). Try again when one has finished.", options.ConcurrentStreams);
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitingExtensions).FullName!);
        GatewayLog.RateLimited(logger, ApiKeyDefaults.KeyId(http.User.KeyHash() ?? "anonymous-key"), http.Request.Path,
            windowed ? "requests per window" : "concurrent generations");
        if (GrpcErrorResponse.IsGrpc(http.Request))
        {
            return GrpcErrorResponse.WriteAsync(http.Response, StatusCode.ResourceExhausted, message, TimeSpan.FromSeconds(seconds));
        }
        var error = new OpenAIError(StatusCodes.Status429TooManyRequests, message, "requests", Code: "rate_limit_exceeded") { RetryAfterSeconds = seconds };
        return error.WriteAsync(http.Response);
    }
}

using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Errors;
using Microsoft.AspNetCore.RateLimiting;
using Grpc.Core;
using Npgsql;

namespace Gateway.RateLimiting;

/// <summary>
/// Per-key limits with ASP.NET Core's rate limiter (<see cref="GatewayRateLimiter"/>, or <see cref="SharedGatewayRateLimiter"/>
/// across gateway replicas when <c>Gateway:RateLimits:Store</c> is Postgres): a window of requests for every
/// authenticated call but image reads, and a concurrency cap on generations; and failed authentication throttled per
/// client address (<see cref="FailedAuthenticationThrottle"/>). Refusals answer 429 + <c>retry-after</c> + the OpenAI
/// envelope (gRPC: RESOURCE_EXHAUSTED with RetryInfo) before anything reaches the router.
/// </summary>
public static class RateLimitingExtensions
{
    /// <summary>When a concurrency refusal suggests trying again, in seconds (a running generation gives no better hint).</summary>
    public const int ConcurrencyRetryAfterSeconds = 1;

    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services, GatewayOptions options, IConfiguration configuration)
    {
        services.AddRateLimiter(_ => { });
        if (options.RateLimitStore == RateLimitStore.Postgres)
        {
            services.AddSingleton(_ => NpgsqlDataSource.Create(configuration.GetConnectionString(GatewayOptionsLoader.SharedLimitsDatabase)!));
            services.AddSingleton<PostgresLimitStore>();
            services.AddHostedService<SharedLimitsService>();
        }
        services.AddOptions<RateLimiterOptions>().Configure<IServiceProvider>((limiter, sp) =>
        {
            var keys = sp.GetRequiredService<ApiKeyStore>();
            limiter.GlobalLimiter = options.RateLimitStore == RateLimitStore.Postgres
                ? new SharedGatewayRateLimiter(options, keys, sp.GetRequiredService<PostgresLimitStore>(), sp.GetRequiredService<ILogger<SharedGatewayRateLimiter>>())
                : new GatewayRateLimiter(options, keys, sp.GetRequiredService<TimeProvider>());
            limiter.OnRejected = (context, _) => new ValueTask(RejectAsync(context, options));
        });
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, FailedAuthenticationThrottle>();
        return services;
    }

    /// <summary>429 with <c>retry-after</c> and the OpenAI envelope (gRPC: RESOURCE_EXHAUSTED with RetryInfo).</summary>
    internal static Task WriteTooManyRequestsAsync(HttpContext http, string message, int seconds)
    {
        if (GrpcErrorResponse.IsGrpc(http.Request))
        {
            return GrpcErrorResponse.WriteAsync(http.Response, StatusCode.ResourceExhausted, message, TimeSpan.FromSeconds(seconds));
        }
        var error = new OpenAIError(StatusCodes.Status429TooManyRequests, message, "requests", Code: "rate_limit_exceeded") { RetryAfterSeconds = seconds };
        return error.WriteAsync(http.Response);
    }

    private static Task RejectAsync(OnRejectedContext context, GatewayOptions options)
    {
        var http = context.HttpContext;
        var key = http.User.KeyHash() is { } hash ? http.RequestServices.GetRequiredService<ApiKeyStore>().Find(hash) : null;
        var windowed = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
        var seconds = windowed ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : ConcurrencyRetryAfterSeconds;
        var message = windowed
            ? string.Format(CultureInfo.InvariantCulture,
                "Rate limit reached for this API key: {0} requests per {1} s. Try again in {2} s.", key?.RequestsPerWindow ?? options.RequestsPerWindow, options.Window.TotalSeconds, seconds)
            : string.Format(CultureInfo.InvariantCulture,
                "Too many generations running for this API key (at most {0} at once). Try again when one has finished.", key?.ConcurrentStreams ?? options.ConcurrentStreams);
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitingExtensions).FullName!);
        GatewayLog.RateLimited(logger, key?.Id ?? "anonymous", http.Request.Path,
            windowed ? "requests per window" : "concurrent generations");
        return WriteTooManyRequestsAsync(http, message, seconds);
    }
}

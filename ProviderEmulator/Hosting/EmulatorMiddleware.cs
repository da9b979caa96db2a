using System.Diagnostics;
using System.Globalization;
using ProviderEmulator.Faults;

namespace ProviderEmulator.Hosting;

/// <summary>
/// Every API request passes here: request id headers, traffic log, Bearer auth, instance and per-request faults
/// (latency, 429, status), and the one place where <see cref="ApiErrorException"/> becomes an error reply.
/// </summary>
internal sealed class EmulatorMiddleware(
    RequestDelegate next, EmulatorOptions options, FaultState faultState, EmulatorTrafficLog traffic, ILogger<EmulatorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var family = path.StartsWith("/api/v1/", StringComparison.Ordinal) ? ApiFamily.OpenRouter
            : path.StartsWith("/v1/", StringComparison.Ordinal) ? ApiFamily.OpenAI
            : path.StartsWith("/api.stability.ai/", StringComparison.Ordinal) ? ApiFamily.Stability
            : path.StartsWith("/api.replicate.com/", StringComparison.Ordinal) ? ApiFamily.Replicate
            : ApiFamily.None;
        if (family == ApiFamily.None)
        {
            await next(context);
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        var id = family == ApiFamily.OpenRouter ? $"gen-{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}-{Guid.NewGuid():N}"[..34] : EmulatorJson.NewId("req_");
        var faultHeader = context.Request.Headers[FaultParser.HeaderName].ToString();
        SetHeaders(context, family, id, stopwatch);
        traffic.Add(new EmulatorEvent(EmulatorEventKind.RequestStarted, id, context.Request.Method, path, 0, NullIfEmpty(faultHeader), DateTimeOffset.UtcNow,
            BearerKey(context) is { Length: > 0 } presented ? EmulatorEvent.KeyIdOf(presented) : null));
        EmulatorLog.RequestStarted(logger, context.Request.Method, path, id);

        var armed = faultState.TryTakeArmedCall(path);
        var parseError = FaultParser.TryApply(options.Faults.Default, FaultPlan.None, out var plan)
            ?? FaultParser.TryApply(armed, plan, out plan)
            ?? FaultParser.TryApply(faultHeader, plan, out plan);
        if (parseError is null && plan.MutateSeed is null && faultState.TryTakeMutatedCall(out var mutateSeed))
        {
            plan = plan with { MutateSeed = mutateSeed };
        }

        var request = new EmulatorRequest(id, family, plan);
        request.Attach(context);
        if (plan.HasFaults)
        {
            EmulatorLog.FaultsInjected(logger, $"{options.Faults.Default};{armed};{faultHeader}".Trim(';'), path, id);
        }

        try
        {
            var error = parseError is not null ? new ApiError(400, parseError, Param: FaultParser.HeaderName, Code: "invalid_value")
                : Authenticate(context, family)
                ?? Precheck(plan, family);
            if (error is not null)
            {
                await Reject(context, error, family, id);
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
        catch (ApiErrorException ex) when (!context.Response.HasStarted)
        {
            await Reject(context, ex.Error, family, id);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client went away; recorded below.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            EmulatorLog.UnhandledError(logger, ex, context.Request.Path.Value ?? "/", id);
            await Reject(context, new ApiError(500, "The server had an error while processing your request. Sorry about that!", Type: "server_error"), family, id);
        }

        Record(context, request, path, stopwatch, faultHeader, traffic, logger);
    }

    /// <summary>Logs and records how a request ended: cut by the emulator, left by the client, or completed.</summary>
    internal static void Record(HttpContext context, EmulatorRequest request, string path, Stopwatch stopwatch, string faultHeader, EmulatorTrafficLog traffic, ILogger logger)
    {
        EmulatorEventKind kind;
        if (request.CutByEmulator)
        {
            kind = EmulatorEventKind.ConnectionCut;
            EmulatorLog.ConnectionCut(logger, path, request.Id);
        }
        else if (context.RequestAborted.IsCancellationRequested)
        {
            kind = EmulatorEventKind.ClientDisconnected;
            EmulatorLog.ClientDisconnected(logger, path, request.Id, stopwatch.ElapsedMilliseconds);
        }
        else
        {
            kind = EmulatorEventKind.RequestCompleted;
            EmulatorLog.RequestCompleted(logger, context.Request.Method, path, request.Id, context.Response.StatusCode, stopwatch.ElapsedMilliseconds);
        }

        traffic.Add(new EmulatorEvent(kind, request.Id, context.Request.Method, path, context.Response.StatusCode, NullIfEmpty(faultHeader), DateTimeOffset.UtcNow));
    }

    private async Task Reject(HttpContext context, ApiError error, ApiFamily family, string id)
    {
        EmulatorLog.Rejected(logger, context.Request.Path.Value ?? "/", id, error.Status, error.Code);
        await ErrorWriter.WriteAsync(context, error, family);
    }

    private ApiError? Authenticate(HttpContext context, ApiFamily family)
    {
        var key = BearerKey(context);
        if (key.Length > 0 && (options.ApiKeys.Count == 0 || options.ApiKeys.Contains(key, StringComparer.Ordinal)))
        {
            return null;
        }

        if (family == ApiFamily.OpenRouter)
        {
            return new ApiError(401, key.Length == 0 ? "No auth credentials found" : "User not found.");
        }

        if (family is ApiFamily.Stability or ApiFamily.Replicate)
        {
            return FaultErrors.Status(family, 401);
        }

        var message = key.Length == 0
            ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys."
            : $"Incorrect API key provided: {Redact(key)}. You can find your API key at https://platform.openai.com/account/api-keys.";
        return new ApiError(401, message, Code: key.Length == 0 ? null : "invalid_api_key");
    }

    private ApiError? Precheck(FaultPlan plan, ApiFamily family)
    {
        if (faultState.TryTakeRateLimitedCall())
        {
            return FaultErrors.RateLimit(family, plan.RateLimitRetryAfter ?? 1);
        }

        if (plan.RateLimitRetryAfter is { } retryAfter)
        {
            return FaultErrors.RateLimit(family, retryAfter);
        }

        if (plan.InsufficientQuota)
        {
            return FaultErrors.InsufficientQuota(family);
        }

        return plan.Status is { } status ? FaultErrors.Status(family, status) : null;
    }

    private static void SetHeaders(HttpContext context, ApiFamily family, string id, Stopwatch stopwatch)
    {
        var headers = context.Response.Headers;
        if (family == ApiFamily.OpenRouter)
        {
            headers["X-Generation-Id"] = id;
            return;
        }

        if (family is ApiFamily.Stability or ApiFamily.Replicate)
        {
            headers["x-request-id"] = id;
            return;
        }

        headers["x-request-id"] = id;
        headers["openai-version"] = "2020-10-01";
        headers["openai-organization"] = "org-emulator";
        headers["openai-project"] = "proj_emulator";
        context.Response.OnStarting(() =>
        {
            context.Response.Headers["openai-processing-ms"] = stopwatch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
    }

    private static string BearerKey(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
    }

    private static string Redact(string key) => key.Length <= 8 ? key : $"{key[..3]}{new string('*', Math.Min(20, key.Length - 7))}{key[^4..]}";

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

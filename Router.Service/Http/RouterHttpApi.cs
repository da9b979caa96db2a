using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.ImageGen.V1;
using Router.Service.Api;
using Router.Service.Catalogue;
using Router.Service.Generation;
using Router.Service.Storage;

namespace Router.Service.Http;

/// <summary>
/// The HTTP JSON API the gateway forwards <c>/api/**</c> to (docs: briefs/router-http-api.md): <c>POST /api/generate</c>
/// (server-sent events), <c>POST /api/runs/{runId}/regenerate</c> (server-sent events), <c>GET /api/configs</c>,
/// <c>GET /api/runs/{runId}</c>, <c>GET /api/runs</c> (paged, filtered).
/// Errors before the first event (validation, a reused run id, a spent budget) are ProblemDetails; errors after it are an
/// <c>error</c> event.
/// </summary>
public static class RouterHttpApi
{
    /// <summary>Maps the routes.</summary>
    public static WebApplication MapRouterHttpApi(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapPost("/generate", GenerateAsync);
        api.MapGet("/configs", ListConfigs);
        api.MapGet("/runs/{runId}", GetRunAsync);
        api.MapGet("/runs", ListRunsAsync);
        api.MapPost("/runs/{runId}/regenerate", RegenerateAsync);
        // Any other /api path: a ProblemDetails 404 naming the routes, not an empty answer.
        app.MapFallback("/api/{**path}", () => TypedResults.Problem(
            "No API route matches this method and path. Routes: POST /api/generate, GET /api/configs, GET /api/runs, GET /api/runs/{runId}, POST /api/runs/{runId}/regenerate.",
            statusCode: StatusCodes.Status404NotFound, title: "Not found"));
        return app;
    }

    private static async Task<IResult> GenerateAsync(HttpContext context, GenerationPipeline pipeline, IOptions<GenerationOptions> options, ILogger<GenerationPipeline> logger)
    {
        var cancellationToken = context.RequestAborted;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // Input images travel as base64 in JSON: a third larger than their bytes.
            limit.MaxRequestBodySize = options.Value.MaxRequestBytes * 4L / 3 + 4096;
        }
        var (request, problem) = await ReadBodyAsync<GenerateRequest>(context, emptyIsDefault: false);
        return problem ?? await PrepareAndStreamAsync(context, pipeline, call => pipeline.PrepareAsync(request!, call, cancellationToken), logger);
    }

    /// <summary><c>POST /api/runs/{runId}/regenerate</c> with a RegenerateRequest body (its run_id from the path); streams like generate.</summary>
    private static async Task<IResult> RegenerateAsync(HttpContext context, string runId, GenerationPipeline pipeline, ILogger<GenerationPipeline> logger)
    {
        var (request, problem) = await ReadBodyAsync<RegenerateRequest>(context, emptyIsDefault: true);
        if (problem is not null)
        {
            return problem;
        }
        request!.RunId = runId;
        return await PrepareAndStreamAsync(context, pipeline, call => pipeline.PrepareRegenerateAsync(request, call, context.RequestAborted), logger);
    }

    /// <summary>The body as protobuf JSON, or the ProblemDetails that refuses it; an empty body is the default message when allowed.</summary>
    private static async Task<(T? Message, IResult? Problem)> ReadBodyAsync<T>(HttpContext context, bool emptyIsDefault) where T : IMessage<T>, new()
    {
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            return (emptyIsDefault && body.Trim().Length == 0 ? new T() : ProtoJson.Parser.Parse<T>(body), null);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException)
        {
            return (default, HttpProblems.InvalidBody(ex.Message));
        }
        catch (BadHttpRequestException ex)
        {
            return (default, TypedResults.Problem(ex.Message, statusCode: ex.StatusCode, title: "The request body cannot be read"));
        }
    }

    /// <summary>Validates the request for the caller (errors as ProblemDetails), then streams the run.</summary>
    private static async Task<IResult> PrepareAndStreamAsync(
        HttpContext context, GenerationPipeline pipeline, Func<CallContext, Task<GenerationPlan>> prepare, ILogger logger)
    {
        GenerationPlan plan;
        try
        {
            plan = await prepare(CallContext.From(context.Request.Headers));
        }
        catch (RouterException ex)
        {
            return HttpProblems.Result(context, ex.Status);
        }
        return await StreamAsync(context, pipeline, plan, logger);
    }

    /// <summary>Runs <paramref name="plan"/> as server-sent events; a refusal before the first event is a ProblemDetails.</summary>
    private static async Task<IResult> StreamAsync(HttpContext context, GenerationPipeline pipeline, GenerationPlan plan, ILogger logger)
    {
        var cancellationToken = context.RequestAborted;
        var sink = new SseGenerationSink(context.Response);
        try
        {
            await pipeline.RunAsync(plan, sink, DateTime.MaxValue, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (ex is not (RouterException or Grpc.Core.RpcException))
            {
                GenerationLog.UnexpectedFailure(logger, plan.RunId, ex);
            }
            // Refused before any event (a reused run id, a spent budget): a plain error response, like validation errors.
            if (!sink.Started)
            {
                return HttpProblems.Result(context, RouterStatusMapper.ToStatus(ex));
            }
            await sink.WriteErrorAsync(RouterStatusMapper.ToStatus(ex), cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away: there is nobody to tell.
        }
        return Results.Empty;
    }

    private static async Task<IResult> ListConfigs(HttpContext context, CatalogueProvider catalogue, ProviderPriceList prices, string? language, string? mediaType)
    {
        if (string.IsNullOrEmpty(language))
        {
            language = context.Request.GetTypedHeaders().AcceptLanguage
                .OrderByDescending(l => l.Quality ?? 1)
                .Select(l => l.Value.Value)
                .FirstOrDefault(l => l is not null && l != "*");
        }
        var snapshot = catalogue.Current;
        var estimate = await prices.EstimatorAsync(snapshot.Configs.Values, context.RequestAborted);
        return Json(ConfigInfoMapper.ToResponse(snapshot, language, mediaType, estimate));
    }

    private static async Task<IResult> GetRunAsync(HttpContext context, string runId, RunQueries runs)
    {
        try
        {
            return Json(await runs.GetAsync(runId, CallContext.From(context.Request.Headers).Caller, context.RequestAborted));
        }
        catch (RouterException ex)
        {
            return HttpProblems.Result(context, ex.Status);
        }
    }

    /// <summary>
    /// <c>GET /api/runs</c>: <c>page_size</c> (or <c>limit</c>) 1-100, <c>page_token</c>, <c>config</c>, <c>status</c>
    /// (running | succeeded | failed), <c>created_after</c> / <c>created_before</c> (ISO 8601).
    /// </summary>
    private static async Task<IResult> ListRunsAsync(HttpContext context, RunQueries runs)
    {
        try
        {
            var query = context.Request.Query;
            var violations = new List<ParameterViolation>();
            var request = new ListRunsRequest
            {
                PageSize = PageSize(query["page_size"].ToString() is { Length: > 0 } size ? ("page_size", size) : ("limit", query["limit"].ToString()), violations),
                PageToken = query["page_token"].ToString(),
                Config = query["config"].ToString(),
                Status = Status(query["status"].ToString(), violations),
            };
            if (Time("created_after", query["created_after"].ToString(), violations) is { } after)
            {
                request.CreatedAfter = after;
            }
            if (Time("created_before", query["created_before"].ToString(), violations) is { } before)
            {
                request.CreatedBefore = before;
            }
            if (violations.Count > 0)
            {
                RouterException.ThrowInvalid(violations);
            }
            return Json(await runs.ListAsync(request, CallContext.From(context.Request.Headers).Caller, context.RequestAborted));
        }
        catch (RouterException ex)
        {
            return HttpProblems.Result(context, ex.Status);
        }
    }

    private static int PageSize((string Name, string Value) parameter, List<ParameterViolation> violations)
    {
        if (parameter.Value.Length == 0)
        {
            return 0;
        }
        if (!int.TryParse(parameter.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size is < 1 or > RunQueries.MaxPageSize)
        {
            violations.Add(new(parameter.Name, $"{parameter.Name} = '{parameter.Value}' is not allowed; use a number 1-{RunQueries.MaxPageSize}"));
        }
        return size;
    }

    private static RunStatus Status(string value, List<ParameterViolation> violations) => value.ToLowerInvariant() switch
    {
        "" => RunStatus.Unspecified,
        "running" => RunStatus.Running,
        "succeeded" => RunStatus.Succeeded,
        "failed" => RunStatus.Failed,
        _ => Add(violations, new("status", $"status = '{value}' is unknown; allowed: running, succeeded, failed"), RunStatus.Unspecified),
    };

    private static Timestamp? Time(string name, string value, List<ParameterViolation> violations)
    {
        if (value.Length == 0)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return Timestamp.FromDateTimeOffset(time);
        }
        violations.Add(new(name, $"{name} = '{value}' is not a time; use ISO 8601, e.g. 2026-12-01T00:00:00Z"));
        return null;
    }

    private static T Add<T>(List<ParameterViolation> violations, ParameterViolation violation, T result)
    {
        violations.Add(violation);
        return result;
    }

    private static IResult Json(IMessage message) => TypedResults.Text(ProtoJson.Formatter.Format(message), "application/json; charset=utf-8");
}

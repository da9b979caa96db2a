using Google.Protobuf;
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
/// (server-sent events), <c>GET /api/configs</c>, <c>GET /api/runs/{runId}</c>, <c>GET /api/runs?limit=n</c>.
/// Errors before the first event (validation, a reused run id, a spent budget) are ProblemDetails; errors after it are an
/// <c>error</c> event.
/// </summary>
public static class RouterHttpApi
{
    private const int DefaultRunsLimit = 20;

    /// <summary>Maps the routes.</summary>
    public static WebApplication MapRouterHttpApi(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapPost("/generate", GenerateAsync);
        api.MapGet("/configs", ListConfigs);
        api.MapGet("/runs/{runId}", GetRunAsync);
        api.MapGet("/runs", ListRunsAsync);
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
        GenerateRequest request;
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            request = ProtoJson.Parser.Parse<GenerateRequest>(await reader.ReadToEndAsync(cancellationToken));
        }
        catch (InvalidProtocolBufferException ex)
        {
            return HttpProblems.InvalidBody(ex.Message);
        }
        catch (InvalidJsonException ex)
        {
            return HttpProblems.InvalidBody(ex.Message);
        }
        catch (BadHttpRequestException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: ex.StatusCode, title: "The request body cannot be read");
        }

        GenerationPlan plan;
        try
        {
            plan = await pipeline.PrepareAsync(request, CallContext.From(context.Request.Headers), cancellationToken);
        }
        catch (RouterException ex)
        {
            return HttpProblems.Result(context, ex.Status);
        }

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

    private static IResult ListConfigs(HttpContext context, CatalogueProvider catalogue, string? language, string? mediaType)
    {
        if (string.IsNullOrEmpty(language))
        {
            language = context.Request.GetTypedHeaders().AcceptLanguage
                .OrderByDescending(l => l.Quality ?? 1)
                .Select(l => l.Value.Value)
                .FirstOrDefault(l => l is not null && l != "*");
        }
        return Json(ConfigInfoMapper.ToResponse(catalogue.Current, language, mediaType));
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

    private static async Task<IResult> ListRunsAsync(HttpContext context, RunQueries runs, string? limit)
    {
        try
        {
            var count = DefaultRunsLimit;
            if (limit is not null && !int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count))
            {
                RouterException.ThrowInvalid([new ParameterViolation("limit", $"limit = '{limit}' is not a number; allowed: 1-{RunQueries.MaxLimit}")]);
            }
            var recent = await runs.ListRecentAsync(count, CallContext.From(context.Request.Headers).Caller, context.RequestAborted);
            return TypedResults.Text($"{{\"runs\":[{string.Join(",", recent.Select(r => ProtoJson.Formatter.Format(r)))}]}}", "application/json; charset=utf-8");
        }
        catch (RouterException ex)
        {
            return HttpProblems.Result(context, ex.Status);
        }
    }

    private static IResult Json(IMessage message) => TypedResults.Text(ProtoJson.Formatter.Format(message), "application/json; charset=utf-8");
}

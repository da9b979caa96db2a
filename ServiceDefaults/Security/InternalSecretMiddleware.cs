using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Pipeline.ServiceDefaults.Security;

/// <summary>
/// Refuses every call without the <see cref="InternalSecret"/>, except the health endpoints (the given HTTP paths and
/// <c>grpc.health.v1.Health</c>): a gRPC call as UNAUTHENTICATED, an HTTP request as 401 ProblemDetails.
/// Runs after routing, before any endpoint.
/// </summary>
internal sealed class InternalSecretMiddleware(RequestDelegate next, InternalSecret secret, IReadOnlyList<string> openPaths, ILogger logger)
{
    private const string GrpcHealthService = "grpc.health.v1.Health";

    public Task InvokeAsync(HttpContext context)
    {
        if (IsOpen(context) || secret.Matches(context.Request.Headers[InternalSecret.HeaderName]))
        {
            return next(context);
        }
        var grpc = IsGrpc(context.Request);
        InternalSecretLog.Refused(logger, grpc ? "gRPC" : "HTTP", context.Request.Path);
        return grpc ? RefuseGrpc(context.Response) : RefuseHttpAsync(context);
    }

    private bool IsOpen(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc)
        {
            return grpc.Method.ServiceName == GrpcHealthService;
        }
        var path = context.Request.Path.Value;
        return openPaths.Any(open => string.Equals(open, path, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>A trailers-only response: the status travels in the headers, with no message.</summary>
    private static Task RefuseGrpc(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = "16";   // UNAUTHENTICATED
        response.Headers["grpc-message"] = "This service accepts calls from the Pipeline fleet only (missing or wrong internal secret).";
        return Task.CompletedTask;
    }

    private static Task RefuseHttpAsync(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Pipeline-Internal";
        return Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthenticated",
                detail: "This service accepts calls from the Pipeline fleet only (missing or wrong internal secret).")
            .ExecuteAsync(context);
    }
}

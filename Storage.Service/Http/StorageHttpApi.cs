using Google.Protobuf;
using Microsoft.Net.Http.Headers;
using Storage.Service.Tenancy;
using Storage.Service.Validation;

namespace Storage.Service.Http;

/// <summary>
/// The HTTP read path for the gateway: <c>GET /images/{imageId}</c> (bytes, strong ETag, immutable caching, 304,
/// ranges) and <c>GET /runs/{runId}</c> (the run as protobuf JSON), scoped by the caller's tenant headers (another
/// tenant's run or image is a 404 like an unknown one). Errors are ProblemDetails.
/// </summary>
public static class StorageHttpApi
{
    /// <summary>Cache-Control of image responses: content-addressed bytes never change.</summary>
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    private static readonly JsonFormatter s_json = new(JsonFormatter.Settings.Default);

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapStorageHttpApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/images/{imageId}", GetImageAsync).WithName("GetImage");
        endpoints.MapGet("/runs/{runId}", GetRunAsync).WithName("GetRun");
        return endpoints;
    }

    private static async Task<IResult> GetImageAsync(string imageId, HttpContext context, StorageEngine engine, CancellationToken cancellationToken)
    {
        if (Ids.CheckImageId(imageId) is { } error)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid image id", error);
        }
        try
        {
            var (image, content) = await engine.OpenImageAsync(imageId, "imageId", CallerHeaders.Read(context.Request.Headers), cancellationToken);
            context.Response.Headers.CacheControl = ImmutableCacheControl;
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return TypedResults.Stream(content, image.MimeType,
                lastModified: image.CreatedAt.ToDateTimeOffset(),
                entityTag: new EntityTagHeaderValue($"\"{image.Sha256}\""),
                enableRangeProcessing: true);
        }
        catch (StorageException ex)
        {
            return Problem(ex);
        }
    }

    private static async Task<IResult> GetRunAsync(string runId, HttpContext context, StorageEngine engine, CancellationToken cancellationToken)
    {
        if (Ids.CheckRunId(runId) is { } error)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid run id", error);
        }
        try
        {
            var run = await engine.GetRunAsync(runId, "runId", CallerHeaders.Read(context.Request.Headers), cancellationToken);
            return TypedResults.Text(s_json.Format(run), "application/json; charset=utf-8");
        }
        catch (StorageException ex)
        {
            return Problem(ex);
        }
    }

    private static IResult Problem(StorageException exception) => exception.Kind switch
    {
        StorageErrorKind.InvalidArgument => Problem(StatusCodes.Status400BadRequest, "Invalid request", exception.Message),
        StorageErrorKind.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", exception.Message),
        StorageErrorKind.AlreadyExists or StorageErrorKind.FailedPrecondition => Problem(StatusCodes.Status409Conflict, "Conflict", exception.Message),
        StorageErrorKind.PermissionDenied => Problem(StatusCodes.Status403Forbidden, "Forbidden", exception.Message),
        _ => Problem(StatusCodes.Status500InternalServerError, "Stored data is damaged", exception.Message),
    };

    private static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Rpc;
using StatusCode = Grpc.Core.StatusCode;
using Pipeline.ServiceDefaults.Grpc;
using RpcStatus = Google.Rpc.Status;

namespace Router.Service.Http;

/// <summary>
/// The HTTP form of a router status: ProblemDetails (<c>application/problem+json</c>, with <c>errors</c> listing every
/// field violation) before a stream starts, and the JSON of an SSE <c>error</c> event once it has.
/// </summary>
internal static class HttpProblems
{
    /// <summary>The ProblemDetails result for <paramref name="status"/>; sets <c>Retry-After</c> when the status carries RetryInfo.</summary>
    public static IResult Result(HttpContext context, RpcStatus status)
    {
        var extensions = new Dictionary<string, object?>
        {
            ["code"] = CodeName(status.GetStatusCode()),
            ["grpcStatus"] = status.Code,
        };
        if (RetryAfterSeconds(status) is { } retryAfter)
        {
            extensions["retryAfterSeconds"] = retryAfter;
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }
        if (status.GetDetail<BadRequest>() is { FieldViolations.Count: > 0 } badRequest)
        {
            var errors = badRequest.FieldViolations
                .GroupBy(v => v.Field, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(v => v.Description).ToArray(), StringComparer.Ordinal);
            return TypedResults.ValidationProblem(errors, status.Message, title: "The request is invalid", extensions: extensions);
        }
        return TypedResults.Problem(status.Message, statusCode: HttpStatus(status.GetStatusCode()), title: Title(status.GetStatusCode()), extensions: extensions);
    }

    /// <summary>A 400 ProblemDetails for a body that is not a valid request.</summary>
    public static IResult InvalidBody(string detail) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [detail] }, detail, title: "The request body is not a valid GenerateRequest",
            extensions: new Dictionary<string, object?> { ["code"] = CodeName(StatusCode.InvalidArgument), ["grpcStatus"] = (int)StatusCode.InvalidArgument });

    /// <summary>
    /// The data of an SSE error event, one line:
    /// <c>{"code":"…","status":n,"message":"…","violations":[{"field","description"}],"retryAfterSeconds":n}</c>.
    /// </summary>
    public static string ErrorEventJson(RpcStatus status)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("code", CodeName(status.GetStatusCode()));
            json.WriteNumber("status", status.Code);
            json.WriteString("message", status.Message);
            if (status.GetDetail<BadRequest>() is { FieldViolations.Count: > 0 } badRequest)
            {
                json.WriteStartArray("violations");
                foreach (var violation in badRequest.FieldViolations)
                {
                    json.WriteStartObject();
                    json.WriteString("field", violation.Field);
                    json.WriteString("description", violation.Description);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            if (RetryAfterSeconds(status) is { } retryAfter)
            {
                json.WriteNumber("retryAfterSeconds", retryAfter);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The gRPC name of a code, e.g. <c>INVALID_ARGUMENT</c>.</summary>
    public static string CodeName(StatusCode code)
    {
        var name = code.ToString();
        if (name == nameof(StatusCode.OK))
        {
            return "OK";
        }
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                text.Append('_');
            }
            text.Append(char.ToUpperInvariant(name[i]));
        }
        return text.ToString();
    }

    /// <summary>The HTTP status of a gRPC code (the gRPC spec's table).</summary>
    public static int HttpStatus(StatusCode code) => code switch
    {
        StatusCode.OK => StatusCodes.Status200OK,
        StatusCode.Cancelled => StatusCodes.Status499ClientClosedRequest,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static string Title(StatusCode code) => code switch
    {
        StatusCode.NotFound => "Not found",
        StatusCode.ResourceExhausted => "Rate limited",
        StatusCode.Unavailable => "A service the router needs is unavailable",
        StatusCode.DeadlineExceeded => "The deadline passed",
        StatusCode.FailedPrecondition => "The request cannot be served",
        _ => "The request failed",
    };

    private static int? RetryAfterSeconds(RpcStatus status) =>
        status.GetDetail<RetryInfo>()?.RetryDelay is { } delay ? (int)Math.Ceiling(delay.ToTimeSpan().TotalSeconds) : null;
}

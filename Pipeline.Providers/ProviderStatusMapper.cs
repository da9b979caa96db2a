using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;

namespace Pipeline.Providers;

/// <summary>
/// The one mapping from provider failures to gRPC statuses, registered with the fleet's exception interceptor.
/// Content policy → FAILED_PRECONDITION with ErrorInfo; 429 → RESOURCE_EXHAUSTED with RetryInfo; 5xx and connection
/// failures → UNAVAILABLE; timeouts → DEADLINE_EXCEEDED; malformed output → INTERNAL.
/// </summary>
public static class ProviderStatusMapper
{
    /// <summary>RetryInfo delay sent for a rate limit or a full queue when nobody said how long to wait.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>The status for <paramref name="exception"/>, or null when it is not a provider failure.</summary>
    public static Google.Rpc.Status? Map(Exception exception) => exception switch
    {
        ProviderException provider => FromProvider(provider),
        HttpRequestException http => RichStatus.Create(StatusCode.Unavailable, $"Could not reach the provider: {http.Message}"),
        TimeoutException => RichStatus.Create(StatusCode.DeadlineExceeded, "The provider call timed out."),
        JsonException json => RichStatus.Create(StatusCode.Internal, $"The provider sent malformed JSON: {json.Message}"),
        _ => null,
    };

    private static Google.Rpc.Status FromProvider(ProviderException e)
    {
        var code = e.Kind switch
        {
            ProviderFailureKind.Unauthenticated => StatusCode.Unauthenticated,
            ProviderFailureKind.PermissionDenied => StatusCode.PermissionDenied,
            ProviderFailureKind.RateLimited or ProviderFailureKind.QuotaExceeded or ProviderFailureKind.AdapterBusy => StatusCode.ResourceExhausted,
            ProviderFailureKind.Unavailable => StatusCode.Unavailable,
            ProviderFailureKind.Timeout => StatusCode.DeadlineExceeded,
            ProviderFailureKind.ContentPolicy => StatusCode.FailedPrecondition,
            ProviderFailureKind.InvalidRequest => StatusCode.InvalidArgument,
            ProviderFailureKind.NotFound => StatusCode.NotFound,
            _ => StatusCode.Internal,
        };
        var status = RichStatus.Create(code, e.Message, ErrorInfo(e));
        if (e.Kind is ProviderFailureKind.RateLimited or ProviderFailureKind.AdapterBusy)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(e.RetryAfter ?? DefaultRetryDelay) }));
        }
        if (e.Kind == ProviderFailureKind.InvalidRequest && e.Param is { Length: > 0 } param)
        {
            status.Details.Add(Any.Pack(new BadRequest
            {
                FieldViolations = { new BadRequest.Types.FieldViolation { Field = param, Description = e.Message } },
            }));
        }
        return status;
    }

    private static ErrorInfo ErrorInfo(ProviderException e)
    {
        var info = new ErrorInfo
        {
            Reason = e.ProviderCode ?? e.Kind switch
            {
                ProviderFailureKind.QuotaExceeded => "insufficient_quota",
                ProviderFailureKind.AdapterBusy => "adapter_busy",
                _ => ToSnakeCase(e.Kind.ToString()),
            },
            Domain = e.Provider ?? "provider",
        };
        info.Metadata["failure"] = ToSnakeCase(e.Kind.ToString());
        info.Metadata["provider_message"] = e.Message;
        if (e.ProviderCode is { } providerCode)
        {
            info.Metadata["provider_code"] = providerCode;
        }
        if (e.HttpStatus is { } httpStatus)
        {
            info.Metadata["http_status"] = httpStatus.ToString(CultureInfo.InvariantCulture);
        }
        if (e.ProviderRequestId is { } requestId)
        {
            info.Metadata["request_id"] = requestId;
        }
        if (e.RetryAfter is { } retryAfter)
        {
            info.Metadata["retry_after_ms"] = ((long)retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        }
        return info;
    }

    private static string ToSnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}

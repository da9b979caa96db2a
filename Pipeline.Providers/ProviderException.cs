namespace Pipeline.Providers;

/// <summary>Why a provider call failed; <see cref="ProviderStatusMapper"/> turns each into one gRPC status.</summary>
public enum ProviderFailureKind
{
    /// <summary>401, or no key at all: UNAUTHENTICATED.</summary>
    Unauthenticated,

    /// <summary>403: PERMISSION_DENIED.</summary>
    PermissionDenied,

    /// <summary>429: RESOURCE_EXHAUSTED with RetryInfo; retryable.</summary>
    RateLimited,

    /// <summary>Out of quota or credits (429 insufficient_quota, 402): RESOURCE_EXHAUSTED, not retryable.</summary>
    QuotaExceeded,

    /// <summary>5xx, connection failure, stream cut: UNAVAILABLE; retryable.</summary>
    Unavailable,

    /// <summary>408/504 or a timeout: DEADLINE_EXCEEDED; retryable only when the provider answered 408/504/524.</summary>
    Timeout,

    /// <summary>The provider's safety system refused: FAILED_PRECONDITION with its reason; never retried.</summary>
    ContentPolicy,

    /// <summary>The provider rejected a parameter (400/422): INVALID_ARGUMENT.</summary>
    InvalidRequest,

    /// <summary>The provider's output was malformed (JSON, image, missing field): INTERNAL naming what.</summary>
    MalformedResponse,

    /// <summary>404 (model or route): NOT_FOUND.</summary>
    NotFound,

    /// <summary>The adapter's own queue is full: RESOURCE_EXHAUSTED with RetryInfo.</summary>
    AdapterBusy,
}

/// <summary>A provider failure, precise enough for one status mapping. Messages never contain the API key.</summary>
public sealed class ProviderException : Exception
{
    public ProviderException(ProviderFailureKind kind, string message, TimeSpan? retryAfter = null, string? providerCode = null,
        string? providerRequestId = null, int? httpStatus = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        RetryAfter = retryAfter;
        ProviderCode = providerCode;
        ProviderRequestId = providerRequestId;
        HttpStatus = httpStatus;
    }

    /// <summary>What went wrong.</summary>
    public ProviderFailureKind Kind { get; }

    /// <summary>How long the provider asked to wait (retry-after-ms / retry-after), if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The provider's error code, e.g. "moderation_blocked", "rate_limit_exceeded".</summary>
    public string? ProviderCode { get; }

    /// <summary>x-request-id / X-Generation-Id of the failed call, for support tickets.</summary>
    public string? ProviderRequestId { get; }

    /// <summary>The provider's HTTP status, when it answered.</summary>
    public int? HttpStatus { get; }

    /// <summary>The request parameter the provider named (OpenAI <c>param</c>), if any.</summary>
    public string? Param { get; init; }

    /// <summary>Provider name for error details (the ErrorInfo domain); set by the adapter service.</summary>
    public string? Provider { get; internal set; }

    /// <summary>Whether another attempt may succeed: rate limits, unavailability, and provider-side timeouts (408/504/524).</summary>
    public bool IsRetryable => Kind switch
    {
        ProviderFailureKind.RateLimited or ProviderFailureKind.Unavailable => true,
        ProviderFailureKind.Timeout => HttpStatus is 408 or 504 or 524,
        _ => false,
    };

    /// <summary>A copy whose message has every occurrence of <paramref name="secret"/> replaced by "***".</summary>
    internal ProviderException WithoutSecret(string secret)
    {
        if (string.IsNullOrEmpty(secret) || !Message.Contains(secret, StringComparison.Ordinal))
        {
            return this;
        }
        return new ProviderException(Kind, Message.Replace(secret, "***", StringComparison.Ordinal), RetryAfter, ProviderCode,
            ProviderRequestId, HttpStatus, InnerException) { Param = Param, Provider = Provider };
    }
}

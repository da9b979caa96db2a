namespace Gateway.Configuration;

/// <summary>
/// The <c>Gateway</c> configuration section as written (binding target). <see cref="GatewayOptionsLoader"/> validates it
/// into the immutable <see cref="GatewayOptions"/>; plain keys are hashed there and never kept.
/// </summary>
public sealed class GatewaySettings
{
    /// <summary>Plain API keys, hashed at start-up (the AppHost's development key arrives as <c>Gateway__ApiKeys__0</c>).</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>SHA-256 digests of API keys, 64 hex characters each (<c>printf %s "$KEY" | sha256sum</c>).</summary>
    public List<string> ApiKeyHashes { get; set; } = [];

    public RateLimitSettings RateLimits { get; set; } = new();

    public RequestLimitSettings Limits { get; set; } = new();

    /// <summary>Deadline of one generation the gateway runs for the OpenAI API. Default 00:10:00.</summary>
    public TimeSpan? GenerationTimeout { get; set; }

    /// <summary>How long a proxied call may go without any byte moving before YARP cancels it. Default 00:10:00.</summary>
    public TimeSpan? ProxyActivityTimeout { get; set; }
}

/// <summary><c>Gateway:RateLimits</c> as written.</summary>
public sealed class RateLimitSettings
{
    /// <summary>Requests one key may make per <see cref="Window"/> (image reads are not counted). Default 120.</summary>
    public int? RequestsPerWindow { get; set; }

    /// <summary>The fixed window. Default 00:01:00.</summary>
    public TimeSpan? Window { get; set; }

    /// <summary>Generations (gRPC Generate, /api/generate, /v1/images/*) one key may run at once. Default 4.</summary>
    public int? ConcurrentStreams { get; set; }

    /// <summary>
    /// Calls without a valid API key (none, malformed, wrong) one client address (IPv6: one /64) may make per minute;
    /// further ones get 429 until the minute ends. Valid keys are never held back by it. Default 20.
    /// </summary>
    public int? FailedAuthenticationsPerMinute { get; set; }
}

/// <summary><c>Gateway:Limits</c> as written.</summary>
public sealed class RequestLimitSettings
{
    /// <summary>Largest request body, in bytes. Default 67108864 (64 MiB: several input images).</summary>
    public long? MaxRequestBodyBytes { get; set; }
}

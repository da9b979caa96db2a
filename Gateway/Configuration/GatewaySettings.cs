namespace Gateway.Configuration;

/// <summary>
/// The <c>Gateway</c> configuration section as written (binding target). <see cref="GatewayOptionsLoader"/> validates it
/// into the immutable <see cref="GatewayOptions"/>; plain keys are hashed there and never kept.
/// </summary>
public sealed class GatewaySettings
{
    /// <summary>The API keys with their tenant, role and limits (the AppHost passes its keys here, hashed).</summary>
    public List<KeySettings> Keys { get; set; } = [];

    /// <summary>Plain API keys of tenant <c>default</c> (role member), hashed at start-up. Kept for older configurations.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>SHA-256 digests of API keys of tenant <c>default</c> (role member), 64 hex characters each (<c>printf %s "$KEY" | sha256sum</c>).</summary>
    public List<string> ApiKeyHashes { get; set; } = [];

    public RateLimitSettings RateLimits { get; set; } = new();

    public RequestLimitSettings Limits { get; set; } = new();

    /// <summary>Deadline of one generation the gateway runs for the OpenAI API. Default 00:10:00.</summary>
    public TimeSpan? GenerationTimeout { get; set; }

    /// <summary>How long a proxied call may go without any byte moving before YARP cancels it. Default 00:10:00.</summary>
    public TimeSpan? ProxyActivityTimeout { get; set; }
}

/// <summary>One entry of <c>Gateway:Keys</c> as written.</summary>
public sealed class KeySettings
{
    /// <summary>The key's SHA-256, 64 hex characters (<c>printf %s "$KEY" | sha256sum</c>). Give this or <see cref="Key"/>.</summary>
    public string? Sha256 { get; set; }

    /// <summary>The plain key, hashed at start-up and never kept. Give this or <see cref="Sha256"/>.</summary>
    public string? Key { get; set; }

    /// <summary>The tenant the key belongs to: 1-64 of <c>[a-z0-9_-]</c>, starting with a letter or digit. Required.</summary>
    public string? Tenant { get; set; }

    /// <summary><c>member</c> (sees its own tenant's runs and images) or <c>admin</c> (sees every tenant's). Default member.</summary>
    public string? Role { get; set; }

    /// <summary>This key's requests per window. Default <c>Gateway:RateLimits:RequestsPerWindow</c>.</summary>
    public int? RequestsPerWindow { get; set; }

    /// <summary>This key's generations at once. Default <c>Gateway:RateLimits:ConcurrentStreams</c>.</summary>
    public int? ConcurrentStreams { get; set; }

    /// <summary>What the tenant may spend per calendar month (UTC) in US dollars, &gt; 0, at most 6 decimals. Default: no budget.</summary>
    public decimal? MonthlyBudgetUsd { get; set; }

    /// <summary>Whether the fleet's provider keys serve calls that bring no key of their own for a provider. Default true.</summary>
    public bool? FleetProviderKeys { get; set; }
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

    /// <summary>
    /// Where the window and generation counts live: "Memory" (the default: this process, right for one gateway) or
    /// "Postgres" (shared by every gateway replica; the database is <c>ConnectionStrings:pipeline-db</c>).
    /// </summary>
    public string? Store { get; set; }
}

/// <summary><c>Gateway:Limits</c> as written.</summary>
public sealed class RequestLimitSettings
{
    /// <summary>Largest request body, in bytes. Default 67108864 (64 MiB: several input images).</summary>
    public long? MaxRequestBodyBytes { get; set; }
}

namespace Gateway.Configuration;

/// <summary>The validated, immutable gateway configuration (see <see cref="GatewaySettings"/> for what is written).</summary>
public sealed record GatewayOptions
{
    public const int DefaultRequestsPerWindow = 120;
    public const int DefaultConcurrentStreams = 4;
    public const int DefaultFailedAuthenticationsPerMinute = 20;
    public const long DefaultMaxRequestBodyBytes = 64L * 1024 * 1024;
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultGenerationTimeout = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultProxyActivityTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Where the gateway forwards to, by service-discovery name. Required.</summary>
    public required BackendAddresses Backends { get; init; }

    /// <summary>
    /// The accepted API keys (digests with their tenant, role and limits): <c>Gateway:Keys</c>, then <c>Gateway:ApiKeys</c>
    /// and <c>Gateway:ApiKeyHashes</c> (tenant <c>default</c>, role member). At least one; no digest twice. Plain keys are never kept.
    /// </summary>
    public required IReadOnlyList<ApiKey> Keys { get; init; }

    /// <summary>Requests per key per <see cref="Window"/>, for keys without their own. Default 120.</summary>
    public int RequestsPerWindow { get; init; } = DefaultRequestsPerWindow;

    /// <summary>The rate-limit window. Default one minute.</summary>
    public TimeSpan Window { get; init; } = DefaultWindow;

    /// <summary>Generations one key may run at once, for keys without their own. Default 4.</summary>
    public int ConcurrentStreams { get; init; } = DefaultConcurrentStreams;

    /// <summary>Where per-key counts live. Default <see cref="RateLimitStore.Memory"/>.</summary>
    public RateLimitStore RateLimitStore { get; init; } = RateLimitStore.Memory;

    /// <summary>Calls without a valid key one client address may make per minute before 429s. Default 20.</summary>
    public int FailedAuthenticationsPerMinute { get; init; } = DefaultFailedAuthenticationsPerMinute;

    /// <summary>Largest request body in bytes. Default 64 MiB.</summary>
    public long MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>Deadline of a generation the OpenAI API runs. Default ten minutes.</summary>
    public TimeSpan GenerationTimeout { get; init; } = DefaultGenerationTimeout;

    /// <summary>Idle timeout of a proxied call. Default ten minutes.</summary>
    public TimeSpan ProxyActivityTimeout { get; init; } = DefaultProxyActivityTimeout;
}

/// <summary>Where the per-key limits are counted.</summary>
public enum RateLimitStore
{
    /// <summary>In this gateway's memory: right for a single gateway.</summary>
    Memory,

    /// <summary>In PostgreSQL (<c>ConnectionStrings:pipeline-db</c>), shared by every gateway replica.</summary>
    Postgres,
}

/// <summary>
/// The backends, as service-discovery addresses that YARP and the gRPC client resolve per request
/// (<c>http://_{endpoint}.{service}</c> reads <c>services:{service}:{endpoint}:*</c>).
/// </summary>
/// <param name="RouterGrpc">The router's gRPC (h2c) endpoint: <c>services:router:grpc</c>.</param>
/// <param name="RouterHttp">The router's HTTP API: <c>services:router:http</c>.</param>
/// <param name="StorageHttp">Storage's HTTP read path: <c>services:storage:http</c>.</param>
public sealed record BackendAddresses(Uri RouterGrpc, Uri RouterHttp, Uri StorageHttp)
{
    /// <summary>The fleet's backends by their service-discovery names.</summary>
    public static BackendAddresses Discovered { get; } =
        new(new Uri("http://_grpc.router"), new Uri("http://_http.router"), new Uri("http://_http.storage"));

    /// <summary>Largest message exchanged with the router over gRPC: 64 MiB (edits carry every input image).</summary>
    public const int MaxRouterMessageBytes = 64 * 1024 * 1024;
}

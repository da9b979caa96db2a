namespace ProviderEmulator.Faults;

/// <summary>The faults chosen for one request: the instance default merged with the <c>x-emulator-fault</c> header.</summary>
internal sealed record FaultPlan
{
    public static readonly FaultPlan None = new();

    /// <summary>Delay before the response starts.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Delay before each streamed partial image / chunk.</summary>
    public TimeSpan PartialDelay { get; init; }

    /// <summary>Reply 429 (value = retry-after seconds).</summary>
    public int? RateLimitRetryAfter { get; init; }

    /// <summary>Reply 429 insufficient_quota.</summary>
    public bool InsufficientQuota { get; init; }

    /// <summary>Reply with this HTTP status and the provider's envelope for it.</summary>
    public int? Status { get; init; }

    /// <summary>Reject the prompt as the provider's safety system does.</summary>
    public bool ContentPolicy { get; init; }

    /// <summary>Streams: an error event after the first partial (or first chunk); non-streamed: ignored.</summary>
    public bool MidStreamError { get; init; }

    /// <summary>Responses streams: end with <c>response.failed</c> instead of <c>response.completed</c>.</summary>
    public bool ResponseFailed { get; init; }

    /// <summary>Shape of the Responses <c>error</c> event: flat (spec) or nested (seen live).</summary>
    public bool NestedErrorEvent { get; init; }

    /// <summary>Drop the connection before the terminal event (streams) or halfway through the body.</summary>
    public bool CutStream { get; init; }

    /// <summary>Send syntactically broken JSON with status 200.</summary>
    public bool MalformedJson { get; init; }

    /// <summary>Write the body in chunks of <see cref="TrickleBytes"/> every <see cref="TrickleInterval"/>.</summary>
    public int TrickleBytes { get; init; }

    public TimeSpan TrickleInterval { get; init; }

    /// <summary>Pad every returned image to at least this many bytes (still a valid image).</summary>
    public long OversizedImageBytes { get; init; }

    /// <summary>Corrupt every JSON body and SSE event deterministically from this seed (see <see cref="ReplyMutator"/>).</summary>
    public int? MutateSeed { get; init; }

    public bool IsTrickle => TrickleBytes > 0;

    public bool HasFaults => this != None;
}

namespace Pipeline.Grpc;

/// <summary>Per-call options of a client call.</summary>
public readonly record struct CallOptions
{
    /// <summary>Custom metadata to send (e.g. <c>authorization</c>, <c>x-provider-key</c>, <c>trace-bin</c>).</summary>
    public Metadata? Headers { get; init; }

    /// <summary>When the call must end (UTC), sent as <c>grpc-timeout</c>. Null: no deadline.</summary>
    public DateTime? Deadline { get; init; }

    /// <summary>Cancels the call (the HTTP/2 stream is reset).</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Options with a deadline <paramref name="timeout"/> from now.</summary>
    public static CallOptions WithTimeout(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        new() { Deadline = DateTime.UtcNow + timeout, CancellationToken = cancellationToken };
}

namespace Pipeline.Reliability.Fuzz;

/// <summary>
/// What came back for one request: the HTTP status, the content type, the gRPC status (header or trailer) when there
/// was one, <c>retry-after</c>, the first bytes of the body, or the transport error when nothing came back.
/// </summary>
public sealed record FuzzOutcome(int Status, string? ContentType, int? GrpcStatus, string? GrpcMessage, TimeSpan? RetryAfter, byte[] Body, string? TransportError)
{
    public static FuzzOutcome Failed(string error) => new(0, null, null, null, null, [], error);
}

/// <summary>How the oracle judged a reply.</summary>
public enum VerdictKind
{
    Ok,
    RateLimited,

    /// <summary>
    /// Kestrel refused the request line before any of the fleet's code ran (a NUL in the decoded path): its bare 400 is
    /// the only answer there, counted apart from the fleet's own answers.
    /// </summary>
    RefusedByHttpServer,
    ServerErrorForClientFault,
    WrongEnvelope,
    Leak,
    NoAnswer,
    CatalogueThrew,
}

/// <summary>The oracle's judgement of one case, with the reason when it failed.</summary>
public sealed record Verdict(VerdictKind Kind, string? Reason = null)
{
    public static readonly Verdict Ok = new(VerdictKind.Ok);

    public bool Failed => Kind is not (VerdictKind.Ok or VerdictKind.RateLimited or VerdictKind.RefusedByHttpServer);
}

namespace Pipeline.Reliability.Fuzz;

/// <summary>What a generated case attacks.</summary>
public enum FuzzTarget
{
    OpenAIJson,
    MultipartEdits,
    RouterApi,
    GrpcFrames,
    Catalogue,
    ProviderReplies,
}

/// <summary>The error envelope a reply must use: OpenAI's on <c>/v1/*</c>, ProblemDetails elsewhere, a gRPC status on gRPC.</summary>
public enum Envelope
{
    OpenAI,
    Problem,
    Grpc,
}

/// <summary>
/// One generated request to the gateway. <see cref="Authorization"/> null means "the runner's key"; empty means
/// none. <see cref="MutateSeed"/> arms the emulator's <c>mutate</c> fault for the provider call it causes.
/// </summary>
public sealed record FuzzRequest(string Method, string Path, byte[] Body, string? ContentType, Envelope Envelope, string Description)
{
    public string? Authorization { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public int? MutateSeed { get; init; }

    /// <summary>True for a case whose fault is the provider's (a 502/503/504 is then a fair answer, 500 is not).</summary>
    public bool ProviderFault => MutateSeed is not null;

    /// <summary>True for a raw gRPC call (HTTP/2, application/grpc).</summary>
    public bool Grpc => Envelope == Envelope.Grpc;
}

/// <summary>One case: its target, its place in the run and its own seed (derived from the plan's seed and the index).</summary>
public sealed record FuzzCase(FuzzTarget Target, int Index, int Seed, FuzzRequest? Request)
{
    /// <summary>For in-process catalogue cases: the mutation applied, described.</summary>
    public string? CatalogueMutation { get; init; }

    /// <summary>How to name the case in a failure line: target, index, seed and the request, truncated.</summary>
    public string Describe()
    {
        var what = Request is { } r
            ? $"{r.Method} {Truncate(r.Path, 200)} [{r.ContentType}] {r.Description} body({r.Body.Length} B)={Preview(r.Body)}"
            : CatalogueMutation ?? "";
        return $"{Target} #{Index} seed={Seed}: {what}";
    }

    private static string Preview(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)));
        var printable = new string([.. text.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '·' : c)]);
        return body.Length > 300 ? printable + "…" : printable;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}

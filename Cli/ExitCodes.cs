namespace Pipeline.Cli;

/// <summary>The CLI's exit codes (README, "Command-line client").</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A local failure that is none of the below, e.g. a file that cannot be written.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments: a parse error, or a local check such as a missing input file or API key.</summary>
    public const int BadArguments = 2;

    /// <summary>The server refused the call (any gRPC status but UNAVAILABLE, DEADLINE_EXCEEDED and CANCELLED).</summary>
    public const int Refused = 3;

    /// <summary>The gateway is unreachable, unavailable or too slow.</summary>
    public const int Unavailable = 4;

    /// <summary>Cancelled with Ctrl+C (128 + SIGINT).</summary>
    public const int Cancelled = 130;
}

namespace Pipeline.Cli.Errors;

/// <summary>A local check failed (missing file, missing key, bad address): exit code 2 with this message.</summary>
internal sealed class CliUsageException(string message) : Exception(message);

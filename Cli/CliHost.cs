using Spectre.Console;

namespace Pipeline.Cli;

/// <summary>
/// What the CLI runs against: the console for results and live display, the console for errors, and the environment
/// (<c>PIPELINE_API_KEY</c>, <c>PIPELINE_URL</c>, <c>PIPELINE_HTTP_URL</c>). Tests pass their own.
/// </summary>
/// <param name="Out">Results, tables, the live display and <c>--json</c> output.</param>
/// <param name="Error">Error messages.</param>
/// <param name="Environment">Reads an environment variable; null when unset.</param>
public sealed record CliHost(IAnsiConsole Out, IAnsiConsole Error, Func<string, string?> Environment);

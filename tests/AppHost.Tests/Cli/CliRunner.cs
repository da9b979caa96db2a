using System.Text.Json;
using Pipeline.Cli;
using Spectre.Console;

namespace AppHost.Tests.Cli;

/// <summary>What one CLI invocation printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Out parsed as JSON (for <c>--json</c>); fails the test with both streams when it is not.</summary>
    public JsonElement Json()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}\n{Out}\n{Error}");
        return JsonDocument.Parse(Out).RootElement.Clone();
    }
}

/// <summary>Runs the <c>pipeline</c> CLI in-process through <see cref="CliApp.RunAsync"/>, with plain (non-ANSI, non-interactive) consoles and a given environment.</summary>
internal static class CliRunner
{
    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, string[] args, CancellationToken ct) =>
        RunAsync(environment, args, new StringWriter(), ct);

    /// <summary>As above, printing into <paramref name="output"/> (e.g. one that signals when a line arrives).</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, string[] args, StringWriter output, CancellationToken ct)
    {
        var error = new StringWriter();
        var host = new CliHost(PlainConsole(output), PlainConsole(error), name => environment.GetValueOrDefault(name));
        var exitCode = await CliApp.RunAsync(args, host, ct);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    private static IAnsiConsole PlainConsole(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 250;   // no wrapping inside the messages the tests look for
        return console;
    }
}

/// <summary>A StringWriter whose <see cref="Seen"/> completes once the text written so far contains a marker.</summary>
internal sealed class SignallingWriter(string marker) : StringWriter
{
    private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Seen => _seen.Task;

    public override void Write(char value)
    {
        base.Write(value);
        Check();
    }

    public override void Write(string? value)
    {
        base.Write(value);
        Check();
    }

    public override void Write(char[] buffer, int index, int count)
    {
        base.Write(buffer, index, count);
        Check();
    }

    private void Check()
    {
        if (!_seen.Task.IsCompleted && GetStringBuilder().ToString().Contains(marker, StringComparison.Ordinal))
        {
            _seen.TrySetResult();
        }
    }
}

using System.CommandLine;
using Pipeline.Cli.Commands;
using Spectre.Console;

namespace Pipeline.Cli;

/// <summary>The <c>pipeline</c> command line: its commands, parsing and exit codes.</summary>
public static class CliApp
{
    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("Pipeline's command-line client: generate, edit and browse images through the gateway (gRPC).")
        {
            new ConfigsCommand(global, host),
            new GenerateCommand(global, host),
            new EditCommand(global, host),
            new RunsCommand(global, host),
            new RunCommand(global, host),
            new RegenerateCommand(global, host),
            new GetCommand(global, host),
        };
        global.AddTo(root);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                host.Error.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            }
            host.Error.MarkupLine("See [bold]pipeline --help[/].");
            return ExitCodes.BadArguments;
        }
        var invocation = new InvocationConfiguration
        {
            Output = host.Out.Profile.Out.Writer,
            Error = host.Error.Profile.Out.Writer,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,   // Program.cs turns Ctrl+C into cancellationToken
        };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }
}

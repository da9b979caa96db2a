using Pipeline.Cli;
using Spectre.Console;

// The first Ctrl+C cancels the call in flight (and with it the provider call); a second one ends the process.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};

var host = new CliHost(
    AnsiConsole.Console,
    AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }),
    Environment.GetEnvironmentVariable);
return await CliApp.RunAsync(args, host, cancel.Token);

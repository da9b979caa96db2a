using System.CommandLine;
using Pipeline.Cli.Errors;
using Pipeline.Cli.Grpc;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>A command of the CLI: runs <see cref="ExecuteAsync"/> and turns whatever it throws into a message and an exit code.</summary>
internal abstract class CliCommand : Command
{
    private readonly GlobalOptions _global;

    protected CliCommand(string name, string description, GlobalOptions global, CliHost host) : base(name, description)
    {
        _global = global;
        Host = host;
        SetAction(async (parse, ct) =>
        {
            try
            {
                return await ExecuteAsync(parse, ct);
            }
            catch (Exception ex)
            {
                return CliErrors.Report(ex, host.Error, ct);
            }
        });
    }

    protected CliHost Host { get; }

    protected IAnsiConsole Out => Host.Out;

    protected abstract Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct);

    protected bool IsJson(ParseResult parse) => parse.GetValue(_global.Json);

    /// <summary>The gateway's clients with the caller's keys; throws <see cref="CliUsageException"/> without an API key.</summary>
    protected GatewayConnection Connect(ParseResult parse) => GatewayConnection.Open(
        parse.GetValue(_global.Key), parse.GetValue(_global.OpenAIKey), parse.GetValue(_global.OpenRouterKey), Host.Environment);

    /// <summary>Writes <paramref name="json"/> as it is (no markup, no wrapping).</summary>
    protected void WriteJson(string json) => Out.Profile.Out.Writer.WriteLine(json);
}

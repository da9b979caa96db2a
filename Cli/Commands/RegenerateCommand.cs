using System.CommandLine;
using Pipeline.Cli.Generation;
using Pipeline.Contracts.ImageGen.V1;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline regenerate &lt;id&gt; [--size …] [--prompt …] [--out dir]</c>: a new run from an earlier one.</summary>
internal sealed class RegenerateCommand : CliCommand
{
    private readonly Argument<string> _runId = new("id") { Description = "The run to start from" };
    private readonly Option<string?> _prompt = new("--prompt") { Description = "A new prompt (default: the run's)" };
    private readonly GenerationOptions _generation = new();

    public RegenerateCommand(GlobalOptions global, CliHost host) : base("regenerate", "Generate again from an earlier run, with changed parameters or prompt", global, host)
    {
        Arguments.Add(_runId);
        Options.Add(_prompt);
        _generation.AddTo(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        using var gateway = Connect(parse);
        var request = new RegenerateRequest
        {
            RunId = parse.GetRequiredValue(_runId),
            NewRunId = parse.GetValue(_generation.RunId) ?? "",
            Parameters = _generation.Parameters(parse),
            IncludeImageData = true,
        };
        if (parse.GetValue(_prompt) is { } prompt)
        {
            request.Prompt = prompt;
        }
        return await GenerationRunner.RunAsync(Out, IsJson(parse), _generation.OutDirectory(parse), parse.GetValue(_generation.Partials),
            token => gateway.Client.Regenerate(request, gateway.Headers, cancellationToken: token), ct);
    }
}

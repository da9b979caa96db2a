using System.CommandLine;
using Pipeline.Cli.Generation;
using Pipeline.Contracts.ImageGen.V1;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline generate "prompt" [--config x] [--size …] [--n 2] [--partials 2] [--out dir]</c></summary>
internal sealed class GenerateCommand : CliCommand
{
    private readonly Argument<string> _prompt = new("prompt") { Description = "What to draw" };
    private readonly Option<string?> _config = new("--config") { Description = "Config name (see pipeline configs); default: the fleet's default" };
    private readonly GenerationOptions _generation = new();

    public GenerateCommand(GlobalOptions global, CliHost host) : base("generate", "Generate images from a prompt, showing and saving partials as they arrive", global, host)
    {
        Arguments.Add(_prompt);
        Options.Add(_config);
        _generation.AddTo(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        using var gateway = Connect(parse);
        var request = new GenerateRequest
        {
            Prompt = parse.GetRequiredValue(_prompt),
            Config = parse.GetValue(_config) ?? "",
            RunId = parse.GetValue(_generation.RunId) ?? "",
            Parameters = _generation.Parameters(parse),
            IncludeImageData = true,
        };
        return await GenerationRunner.RunAsync(Out, IsJson(parse), _generation.OutDirectory(parse), parse.GetValue(_generation.Partials),
            token => gateway.Client.Generate(request, gateway.Headers, cancellationToken: token), ct);
    }
}

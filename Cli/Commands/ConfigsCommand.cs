using System.CommandLine;
using Pipeline.Cli.Generation;
using Pipeline.Cli.Output;
using Pipeline.Contracts.ImageGen.V1;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline configs [--lang de]</c>: the catalogue as a table.</summary>
internal sealed class ConfigsCommand : CliCommand
{
    private readonly Option<string?> _language = new("--lang") { Description = "Language of names and descriptions, e.g. de" };

    public ConfigsCommand(GlobalOptions global, CliHost host) : base("configs", "List the configs of the catalogue", global, host)
    {
        Options.Add(_language);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        using var gateway = Connect(parse);
        var response = await gateway.Client.ListConfigsAsync(new ListConfigsRequest { Language = parse.GetValue(_language) ?? "" }, gateway.Headers, cancellationToken: ct);
        if (IsJson(parse))
        {
            WriteJson(Json.Format(response));
            return ExitCodes.Success;
        }
        var table = new Table().AddColumns("name", "display name", "provider/model", "operation", "sizes", "n", "partials", "≈ cost/image");
        foreach (var config in response.Configs.OrderBy(c => c.Display?.Order ?? 0).ThenBy(c => c.Name, StringComparer.Ordinal))
        {
            var rules = config.Rules;
            table.AddRow(
                new Text(config.Name), new Text(config.DisplayName), new Text($"{config.Provider}/{config.Model}"), new Text(config.Operation),
                new Text(rules is null ? "" : string.Join(" ", rules.Sizes)),
                new Text(rules is null ? "" : $"{rules.MinN}-{rules.MaxN}"),
                new Text(rules is null ? "" : $"{rules.MinPartialImages}-{rules.MaxPartialImages}"),
                new Text(config.EstimatedCostUsdMicros > 0 ? GenerationSession.Money(config.EstimatedCostUsdMicros / 1_000_000m) : "?"));
        }
        Out.Write(table);
        return ExitCodes.Success;
    }
}

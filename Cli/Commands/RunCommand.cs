using System.CommandLine;
using Pipeline.Cli.Generation;
using Pipeline.Cli.Output;
using Pipeline.Contracts.ImageGen.V1;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline run &lt;id&gt;</c>: one run with its images.</summary>
internal sealed class RunCommand : CliCommand
{
    private readonly Argument<string> _runId = new("id") { Description = "The run id" };

    public RunCommand(GlobalOptions global, CliHost host) : base("run", "Show one run with its images", global, host)
    {
        Arguments.Add(_runId);
    }

    public static string Status(RunStatus status) => status switch
    {
        RunStatus.Running => "running",
        RunStatus.Succeeded => "succeeded",
        RunStatus.Failed => "failed",
        _ => "unknown",
    };

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        using var gateway = Connect(parse);
        var run = await gateway.Client.GetRunAsync(new GetRunRequest { RunId = parse.GetRequiredValue(_runId) }, gateway.Headers, cancellationToken: ct);
        if (IsJson(parse))
        {
            WriteJson(Json.Format(run));
            return ExitCodes.Success;
        }
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value));
            }
        }
        Row("run", run.RunId);
        Row("parent", run.ParentRunId);
        Row("status", Status(run.Status));
        Row("config", $"{run.Config} ({run.Provider}/{run.Model}, {run.Operation})");
        Row("prompt", run.Prompt);
        Row("revised prompt", run.RevisedPrompt);
        Row("parameters", run.Parameters is { Fields.Count: > 0 } parameters ? Google.Protobuf.JsonFormatter.Default.Format(parameters) : null);
        Row("created (UTC)", run.CreatedAt?.ToDateTime().ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        Row("cost", run.Local ? "free (made locally)"
            : GenerationSession.Money(run.CostUsdMicros / 1_000_000m) + (run.HasCostKnown && !run.CostKnown ? " or more (a price is unknown)" : ""));
        Row("trace", run.TraceId);
        Row("error", run.Error);
        Out.Write(grid);
        var images = new Table().AddColumns("#", "image id", "size", "type", "kind", "url");
        foreach (var image in run.Images)
        {
            images.AddRow(
                new Text(image.ImageIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Text(image.ImageId),
                new Text($"{image.Width}×{image.Height}"), new Text(image.MimeType),
                new Text(image.Kind switch { ImageKind.Grid => "grid", ImageKind.Tile => $"tile ({image.GridRow},{image.GridColumn})", _ => "" }),
                new Text(image.UrlPath));
        }
        Out.Write(images);
        return ExitCodes.Success;
    }
}

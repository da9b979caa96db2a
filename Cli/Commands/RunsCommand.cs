using System.CommandLine;
using Pipeline.Cli.Generation;
using Pipeline.Cli.Output;
using Pipeline.Contracts.ImageGen.V1;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline runs [--limit 20] [--config x] [--status succeeded]</c>: the tenant's runs, newest first.</summary>
internal sealed class RunsCommand : CliCommand
{
    private readonly Option<int> _limit = new("--limit") { Description = "How many runs, newest first", DefaultValueFactory = _ => 20 };
    private readonly Option<string?> _config = new("--config") { Description = "Only runs of this config" };
    private readonly Option<string?> _status = new Option<string?>("--status") { Description = "Only runs in this status" }.AcceptOnlyFromAmong("running", "succeeded", "failed");

    public RunsCommand(GlobalOptions global, CliHost host) : base("runs", "List your runs, newest first", global, host)
    {
        Options.Add(_limit);
        Options.Add(_config);
        Options.Add(_status);
        _limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--limit must be at least 1.");
            }
        });
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        using var gateway = Connect(parse);
        var limit = parse.GetValue(_limit);
        var request = new ListRunsRequest
        {
            Config = parse.GetValue(_config) ?? "",
            Status = parse.GetValue(_status) switch
            {
                "running" => RunStatus.Running,
                "succeeded" => RunStatus.Succeeded,
                "failed" => RunStatus.Failed,
                _ => RunStatus.Unspecified,
            },
        };
        var result = new ListRunsResponse();
        do
        {
            request.PageSize = Math.Min(100, limit - result.Runs.Count);
            var page = await gateway.Client.ListRunsAsync(request, gateway.Headers, cancellationToken: ct);
            result.Runs.AddRange(page.Runs.Take(limit - result.Runs.Count));
            result.NextPageToken = request.PageToken = page.NextPageToken;
        }
        while (result.Runs.Count < limit && request.PageToken.Length > 0);

        if (IsJson(parse))
        {
            WriteJson(Json.Format(result));
            return ExitCodes.Success;
        }
        var table = new Table().AddColumns("run", "created (UTC)", "config", "status", "images", "cost", "prompt");
        foreach (var run in result.Runs)
        {
            table.AddRow(
                new Text(run.RunId), new Text(run.CreatedAt?.ToDateTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) ?? ""),
                new Text(run.Config), new Text(RunCommand.Status(run.Status)), new Text(run.Images.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(GenerationSession.Money(run.CostUsdMicros / 1_000_000m)), new Text(run.Prompt.Length > 40 ? run.Prompt[..40] + "…" : run.Prompt));
        }
        Out.Write(table);
        return ExitCodes.Success;
    }
}

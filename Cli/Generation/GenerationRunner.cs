using Grpc.Core;
using Pipeline.Cli.Output;
using Pipeline.Contracts.ImageGen.V1;
using Spectre.Console;

namespace Pipeline.Cli.Generation;

/// <summary>What generate, edit and regenerate share: start the stream, show it, save its images, then the summary or the JSON.</summary>
internal static class GenerationRunner
{
    public static async Task<int> RunAsync(
        IAnsiConsole console, bool json, string outDirectory, int? partialsPerImage,
        Func<CancellationToken, AsyncServerStreamingCall<GenerateFrame>> start, CancellationToken ct)
    {
        var outcome = await GenerationDisplay.ShowAsync(console, json, async display =>
        {
            using var call = start(ct);
            return await new GenerationSession(outDirectory, partialsPerImage, display).RunAsync(call, ct);
        });
        if (json)
        {
            console.Profile.Out.Writer.WriteLine(Json.Serialize(outcome));
            return ExitCodes.Success;
        }
        console.MarkupLineInterpolated($"[green]run[/] {outcome.RunId}{(outcome.ParentRunId is { } parent ? $" (from {parent})" : "")}");
        console.MarkupLineInterpolated($"[green]images[/] {string.Join(", ", outcome.Images.Select(i => i.ImageId))}");
        var total = outcome.Images.Sum(i => i.CostUsd);
        var known = outcome.Images.All(i => i.CostKnown);
        console.MarkupLineInterpolated($"[green]cost[/] {(known ? "" : "≥ ")}{GenerationSession.Money(total)}{(known ? "" : " (a price is unknown)")}");
        console.MarkupLine("[green]files[/]");
        foreach (var file in outcome.Files)
        {
            console.MarkupLineInterpolated($"  {file}");
        }
        return ExitCodes.Success;
    }
}

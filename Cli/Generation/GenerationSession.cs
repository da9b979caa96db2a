using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;

namespace Pipeline.Cli.Generation;

/// <summary>
/// Reads a Generate (or Regenerate) stream to its end: saves each partial as <c>{runId}-{index}-partial-{k}.{ext}</c> and
/// each final as <c>{runId}-{index}.{ext}</c> in the out folder, tells the display, and collects the outcome.
/// </summary>
internal sealed class GenerationSession(string outDirectory, int? partialsPerImage, GenerationDisplay display)
{
    private readonly GenerationOutcome _outcome = new();
    private readonly Dictionary<int, List<string>> _partials = [];

    public async Task<GenerationOutcome> RunAsync(AsyncServerStreamingCall<GenerateFrame> call, CancellationToken ct)
    {
        Directory.CreateDirectory(outDirectory);
        await foreach (var frame in call.ResponseStream.ReadAllAsync(ct))
        {
            switch (frame.FrameCase)
            {
                case GenerateFrame.FrameOneofCase.Accepted:
                    OnAccepted(frame.Accepted);
                    break;
                case GenerateFrame.FrameOneofCase.Fallback:
                    OnFallback(frame.Fallback);
                    break;
                case GenerateFrame.FrameOneofCase.Partial:
                    await OnPartialAsync(frame.Partial, ct);
                    break;
                case GenerateFrame.FrameOneofCase.Final:
                    await OnFinalAsync(frame.Final, ct);
                    break;
            }
        }
        return _outcome;
    }

    private void OnAccepted(Accepted accepted)
    {
        _outcome.RunId = accepted.RunId;
        _outcome.ParentRunId = accepted.ParentRunId is { Length: > 0 } parent ? parent : null;
        (_outcome.Config, _outcome.Provider, _outcome.Model, _outcome.Replayed) = (accepted.Config, accepted.Provider, accepted.Model, accepted.Replayed);
        var note = accepted.Replayed ? "replaying the stored result" : null;
        display.Start(accepted.RunId, $"{accepted.Config} ({accepted.Provider}/{accepted.Model})", accepted.ImageCount, note);
    }

    private void OnFallback(Fallback fallback)
    {
        (_outcome.Config, _outcome.Provider, _outcome.Model) = (fallback.Config, fallback.Provider, fallback.Model);
        var earlier = string.Join("; ", fallback.Earlier.Select(a =>
            $"{a.Config} {(a.Outcome == Contracts.Common.V1.AttemptOutcome.Skipped ? "skipped" : "failed")}: {Join(a.StatusCode, a.Reason)}"));
        var line = $"served by {fallback.Config} ({fallback.Provider}/{fallback.Model})" + (earlier.Length > 0 ? $" ({earlier})" : "");
        _outcome.Fallbacks.Add(line);
        display.Fallback(line, fallback.ImageCount);
    }

    private async Task OnPartialAsync(Partial partial, CancellationToken ct)
    {
        var k = partial.PartialIndex + 1;
        var file = await SaveAsync($"{_outcome.RunId}-{partial.ImageIndex}-partial-{k}", partial.MimeType, partial.Data.Memory, ct);
        if (!_partials.TryGetValue(partial.ImageIndex, out var files))
        {
            _partials[partial.ImageIndex] = files = [];
        }
        files.Add(file);
        display.Update(partial.ImageIndex, partialsPerImage is > 0 ? $"partial {k} of {partialsPerImage}" : $"partial {k}", file);
    }

    private async Task OnFinalAsync(Final final, CancellationToken ct)
    {
        string? file = null;
        if (!final.Data.IsEmpty)
        {
            file = await SaveAsync($"{_outcome.RunId}-{final.ImageIndex}", final.MimeType, final.Data.Memory, ct);
        }
        var tile = final.Kind == ImageKind.Tile;
        var image = new ImageOutcome(
            final.ImageIndex, final.ImageId, final.MimeType, final.Width, final.Height,
            FinishReason(final.FinishReason), final.FinishDetail is { Length: > 0 } detail ? detail : null,
            final.CostUsdMicros / 1_000_000m, final.CostKnown,
            final.Kind switch { ImageKind.Grid => "grid", ImageKind.Tile => "tile", _ => null },
            tile ? final.SourceImageId : null, tile ? final.GridRow : null, tile ? final.GridColumn : null,
            final.Storage?.UrlPath ?? "", final.Storage?.Sha256 ?? "", file,
            _partials.TryGetValue(final.ImageIndex, out var partials) ? partials : []);
        _outcome.Images.Add(image);
        display.Update(final.ImageIndex, Describe(image), file);
    }

    private async Task<string> SaveAsync(string name, string mimeType, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var path = Path.Combine(outDirectory, $"{name}.{Extension(mimeType)}");
        await File.WriteAllBytesAsync(path, data, ct);
        _outcome.Files.Add(path);
        return path;
    }

    private static string Describe(ImageOutcome image)
    {
        var cost = image.CostKnown ? Money(image.CostUsd) : $"≥ {Money(image.CostUsd)} (price unknown)";
        var what = image.Kind switch
        {
            "grid" => "grid, ",
            "tile" => $"tile ({image.GridRow},{image.GridColumn}) of {image.SourceImageId}, ",
            _ => "",
        };
        var detail = image.FinishDetail is { } d ? $" — {d}" : "";
        return $"{image.FinishReason} {image.ImageId}, {what}{image.Width}×{image.Height}, {cost}{detail}";
    }

    public static string Money(decimal usd) => "$" + usd.ToString("0.00####", System.Globalization.CultureInfo.InvariantCulture);

    private static string FinishReason(Contracts.ImageGen.V1.FinishReason reason) => reason switch
    {
        Contracts.ImageGen.V1.FinishReason.Stored => "stored",
        Contracts.ImageGen.V1.FinishReason.StoragePending => "storage pending",
        Contracts.ImageGen.V1.FinishReason.Replayed => "replayed",
        Contracts.ImageGen.V1.FinishReason.Quarantined => "quarantined",
        _ => "final",
    };

    private static string Extension(string mimeType) => mimeType switch
    {
        "image/jpeg" => "jpeg",
        "image/webp" => "webp",
        _ => "png",
    };

    private static string Join(string statusCode, string reason) =>
        string.Join(" ", new[] { statusCode, reason }.Where(s => s.Length > 0));
}

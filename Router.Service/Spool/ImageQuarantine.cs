using System.Text.Json;
using Pipeline.Contracts.Storage.V1;

namespace Router.Service.Spool;

/// <summary>
/// Keeps images storage refused for good (<see cref="StorageRefusal"/>) in <see cref="ImageSpool.QuarantineDirectory"/>,
/// never deleting them: the image was paid for. Each is a folder laid out exactly like a spool entry (the image file
/// and <c>entry.json</c>, so an operator can move it back into the spool once the cause is fixed) plus the sidecar
/// <see cref="SidecarFileName"/> saying why. Written as durably as the spool (<see cref="DurableFolder"/>).
/// </summary>
public sealed class ImageQuarantine(ImageSpool spool, TimeProvider time)
{
    /// <summary>The sidecar of a quarantined image (JSON, snake_case).</summary>
    public const string SidecarFileName = "quarantine.json";

    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>The quarantine folder (absolute).</summary>
    public string Directory => spool.QuarantineDirectory;

    /// <summary>
    /// Quarantines <paramref name="entry"/> (a spool entry, written or not; usually an image with its bytes
    /// <paramref name="data"/>, or a run update storage refused); returns its folder once it is durable. Idempotent: an
    /// entry already quarantined (e.g. before a crash that kept it in the spool too) is left as it is.
    /// </summary>
    /// <param name="entry">The entry (its run id, image metadata and name, which the quarantine folder takes).</param>
    /// <param name="data">The image bytes; empty for a run update.</param>
    /// <param name="refusal">Storage's refusal, recorded in the sidecar.</param>
    /// <param name="origin"><c>generation</c> (refused while the run streamed) or <c>spool</c> (refused at delivery).</param>
    public async Task<string> QuarantineAsync(SpoolEntry entry, ReadOnlyMemory<byte> data, StorageRefusal refusal, string origin)
    {
        var folder = Path.Combine(Directory, entry.Name);
        if (System.IO.Directory.Exists(folder))
        {
            return folder;
        }
        var sidecar = new QuarantineSidecar
        {
            RunId = entry.RunId,
            ImageIndex = entry.Image?.ImageIndex ?? -1,
            ImageId = entry.Image?.ImageId ?? "",
            Reason = refusal.Reason,
            StorageStatus = refusal.Status,
            StorageMessage = refusal.Detail,
            Sha256 = entry.Image?.Sha256 ?? "",
            SizeBytes = entry.Image?.SizeBytes ?? 0,
            MimeType = entry.Image?.MimeType ?? "",
            FileName = entry.Image?.FileName ?? "",
            Origin = origin,
            QuarantinedAt = time.GetUtcNow(),
            Restore = $"fix the cause (e.g. raise Storage:MaxImageBytes), then move this folder into {spool.Directory}; the router delivers it at its next start",
        };
        // Restored into the spool, an image must not set its run back to RUNNING: the run's record went (or goes) on its own.
        var restorable = entry.Image is null ? entry : entry with { Run = new RunRecord { RunId = entry.RunId } };
        var files = ImageSpool.EntryFiles(restorable, data);
        files.Add((SidecarFileName, JsonSerializer.SerializeToUtf8Bytes(sidecar, s_json)));
        System.IO.Directory.CreateDirectory(Directory);
        await DurableFolder.CommitAsync(Directory, entry.Name, files);
        return folder;
    }

    /// <summary>Reads the sidecar of the quarantined folder <paramref name="folder"/>.</summary>
    public static QuarantineSidecar ReadSidecar(string folder) =>
        JsonSerializer.Deserialize<QuarantineSidecar>(File.ReadAllBytes(Path.Combine(folder, SidecarFileName)), s_json)
        ?? throw new JsonException($"{SidecarFileName} in {folder} is empty");
}

/// <summary>Why an image is in the quarantine: <see cref="ImageQuarantine.SidecarFileName"/>, snake_case JSON.</summary>
public sealed record QuarantineSidecar
{
    /// <summary>Format version. Default: 1.</summary>
    public int Version { get; init; } = 1;

    /// <summary>The run the image belongs to.</summary>
    public string RunId { get; init; } = "";

    /// <summary>Index of the image in its run; -1 for a run update.</summary>
    public int ImageIndex { get; init; }

    /// <summary>The image id it would have (and gets once delivered) in storage.</summary>
    public string ImageId { get; init; } = "";

    /// <summary>One line: why it is here (storage's status and message).</summary>
    public string Reason { get; init; } = "";

    /// <summary>Storage's gRPC status, e.g. <c>INVALID_ARGUMENT</c>.</summary>
    public string StorageStatus { get; init; } = "";

    /// <summary>Storage's status message.</summary>
    public string StorageMessage { get; init; } = "";

    /// <summary>Lower-case hex SHA-256 of the image file.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>Size of the image file in bytes.</summary>
    public long SizeBytes { get; init; }

    /// <summary>MIME type of the image.</summary>
    public string MimeType { get; init; } = "";

    /// <summary>The image file in the folder, e.g. <c>image.png</c>; empty for a run update.</summary>
    public string FileName { get; init; } = "";

    /// <summary>Where the refusal came: <c>generation</c> (while the run streamed) or <c>spool</c> (delivering a spooled image).</summary>
    public string Origin { get; init; } = "";

    /// <summary>When it was quarantined.</summary>
    public DateTimeOffset QuarantinedAt { get; init; }

    /// <summary>How an operator gets it back.</summary>
    public string Restore { get; init; } = "";
}

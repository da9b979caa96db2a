using Google.Protobuf;
using Pipeline.Imaging;
using Storage.Service.Blobs;
using Storage.Service.Configuration;
using Storage.Service.Metadata;
using Storage.Service.Validation;

namespace Storage.Service.Export;

/// <summary>
/// The optional run folder (the seed's habit): "{export root}/{run id}/" with "{image id}.{ext}" per image and
/// "run.json" (the run record, protobuf JSON). Best effort: the blob store and metadata are the truth, so an export
/// failure is logged and never fails the call.
/// </summary>
public sealed class RunExporter(StorageOptions options, IMetadataStore metadata, IBlobStore blobs, ILogger<RunExporter> logger)
{
    private static readonly JsonFormatter s_json = new(JsonFormatter.Settings.Default.WithIndentation());

    /// <summary>Rewrites the run's folder from the stored state. Not cancellable: the change it mirrors is already committed.</summary>
    public async Task ExportRunAsync(string runId)
    {
        if (!options.Export.Enabled || GetRunFolder(runId) is not { } folder)
        {
            return;
        }
        try
        {
            var run = await metadata.GetRunAsync(runId, CancellationToken.None);
            if (run is null)
            {
                return;
            }
            Directory.CreateDirectory(folder);
            foreach (var image in run.Images)
            {
                var extension = ImageFormats.TryParse(image.MimeType, out var format) ? format.ToExtension() : "bin";
                var path = Path.Combine(folder, $"{image.ImageId}.{extension}");
                if (File.Exists(path))
                {
                    continue;
                }
                await using var source = await blobs.OpenReadAsync(image.Sha256, CancellationToken.None);
                if (source is not null)
                {
                    await WriteAtomicallyAsync(path, source);
                }
            }
            using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(s_json.Format(run)));
            await WriteAtomicallyAsync(Path.Combine(folder, "run.json"), json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            StorageLog.ExportFailed(logger, runId, folder, ex);
        }
    }

    /// <summary>Removes the run's folder.</summary>
    public void DeleteRun(string runId)
    {
        if (!options.Export.Enabled || GetRunFolder(runId) is not { } folder || !Directory.Exists(folder))
        {
            return;
        }
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            StorageLog.ExportFailed(logger, runId, folder, ex);
        }
    }

    /// <summary>The run's folder; null unless the id is valid and the folder lies directly under the export root.</summary>
    internal string? GetRunFolder(string runId)
    {
        if (options.Export.Root is not { } root || Ids.CheckRunId(runId) is not null)
        {
            return null;
        }
        var folder = Path.GetFullPath(Path.Combine(root, runId));
        return Path.GetDirectoryName(folder) == Path.TrimEndingDirectorySeparator(root) ? folder : null;
    }

    private static async Task WriteAtomicallyAsync(string path, Stream content)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}

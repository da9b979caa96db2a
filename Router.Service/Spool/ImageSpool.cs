using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults;

namespace Router.Service.Spool;

/// <summary>
/// A local folder where final images (and run updates) wait while Storage.Service is unavailable. Each entry is a
/// folder holding <c>entry.json</c> and the image file, written under a temporary name, fsynced, then renamed into
/// place (<see cref="DurableFolder"/>): an entry either exists whole or not at all. Entries are removed only once storage
/// has accepted them, or once <see cref="ImageQuarantine"/> holds a copy (storage refused them for good).
/// </summary>
public sealed class ImageSpool : IDisposable
{
    /// <summary>The metadata file of an entry.</summary>
    public const string EntryFileName = "entry.json";

    /// <summary>Where earlier versions kept entries storage refused for good (now: <see cref="QuarantineDirectory"/>); skipped.</summary>
    public const string RejectedFolderName = "rejected";

    private static readonly JsonFormatter s_runFormatter = new(JsonFormatter.Settings.Default);
    private static readonly JsonParser s_runParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    private readonly ILogger<ImageSpool> _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _written = new(0);
    private readonly ConcurrentDictionary<string, byte> _unreadable = new(StringComparer.Ordinal);
    private readonly SpoolSlot _slot;
    private long _sequence;

    public ImageSpool(IOptions<SpoolOptions> options, IHostEnvironment environment, ILogger<ImageSpool> logger, TimeProvider time)
    {
        _logger = logger;
        _time = time;
        var root = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.Directory));
        _slot = SpoolSlot.Claim(root);
        Directory = _slot.Directory;
        QuarantineDirectory = options.Value.ResolveQuarantineDirectory(environment.ContentRootPath, root);
        RemoveUnfinishedWrites();
    }

    /// <summary>This router's spool folder (absolute): its slot of the configured spool folder (<see cref="SpoolSlot"/>).</summary>
    public string Directory { get; }

    /// <summary>Where images storage refused for good are kept (absolute; see <see cref="SpoolOptions.QuarantineDirectory"/>).</summary>
    public string QuarantineDirectory { get; }

    /// <summary>Spools an image of a run; returns once the entry is durable.</summary>
    public async Task<SpoolEntry> WriteImageAsync(RunRecord run, SpooledImage image, ReadOnlyMemory<byte> data)
    {
        var entry = NewImageEntry(run, image);
        await CommitAsync(entry, data);
        SpoolLog.EntrySpooled(_logger, entry.Name, entry.RunId, image.ImageId, image.SizeBytes, Directory);
        return entry;
    }

    /// <summary>Spools a run record update (e.g. its completion, with how many images it has); returns once the entry is durable.</summary>
    public async Task<SpoolEntry> WriteRunAsync(RunRecord run, int imageCount)
    {
        var entry = NewEntry(run, null, "run") with { ImageCount = imageCount };
        await CommitAsync(entry, ReadOnlyMemory<byte>.Empty);
        return entry;
    }

    /// <summary>Every committed entry, oldest first. Unreadable entries are logged and left in place.</summary>
    public IReadOnlyList<SpoolEntry> List()
    {
        var entries = new List<SpoolEntry>();
        foreach (var folder in System.IO.Directory.EnumerateDirectories(Directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            if (!IsEntry(name) || folder == QuarantineDirectory)
            {
                continue;
            }
            try
            {
                entries.Add(Read(name));
            }
            catch (Exception ex) when (ex is IOException or JsonException or InvalidOperationException)
            {
                // Gone meanwhile (delivered) is fine; anything else is reported once and left for an operator.
                if (System.IO.Directory.Exists(folder) && _unreadable.TryAdd(name, 0))
                {
                    SpoolLog.EntryUnreadable(_logger, name, ex);
                }
            }
        }
        return entries;
    }

    /// <summary>The committed entries of one run, oldest first.</summary>
    public IReadOnlyList<SpoolEntry> ListRun(string runId) => [.. List().Where(e => e.RunId == runId)];

    /// <summary>The bytes of a spooled image. Throws <see cref="FileNotFoundException"/> or <see cref="DirectoryNotFoundException"/> once it was delivered.</summary>
    public Task<byte[]> ReadImageAsync(SpoolEntry entry, CancellationToken cancellationToken) =>
        File.ReadAllBytesAsync(Path.Combine(Directory, entry.Name, entry.Image?.FileName ?? throw new InvalidOperationException($"spool entry {entry.Name} holds no image")), cancellationToken);

    /// <summary>Removes a delivered entry.</summary>
    public void Remove(SpoolEntry entry)
    {
        var folder = Path.Combine(Directory, entry.Name);
        if (System.IO.Directory.Exists(folder))
        {
            System.IO.Directory.Delete(folder, recursive: true);
            DirectorySync.Flush(Directory);
        }
    }

    /// <summary>Completes when an entry is written after the call (or at once if one was written since the last wait).</summary>
    public Task WaitForEntryAsync(CancellationToken cancellationToken) => _written.WaitAsync(cancellationToken);

    /// <summary>As <see cref="WaitForEntryAsync(CancellationToken)"/>, giving up after <paramref name="timeout"/> (false).</summary>
    public Task<bool> WaitForEntryAsync(TimeSpan timeout, CancellationToken cancellationToken) => _written.WaitAsync(timeout, cancellationToken);

    /// <summary>Releases the slot (its entries stay for the next router).</summary>
    public void Dispose() => _slot.Dispose();

    /// <summary>A new (not yet written) entry for an image of <paramref name="run"/>, named by the time and a sequence.</summary>
    internal SpoolEntry NewImageEntry(RunRecord run, SpooledImage image) => NewEntry(run, image, $"image{image.ImageIndex}");

    /// <summary>
    /// Takes over the entries of slots whose router is gone (<see cref="SpoolSlot.AdoptOrphans"/>); returns how many, and
    /// wakes the delivery when there were any.
    /// </summary>
    public int AdoptOrphans()
    {
        var adopted = _slot.AdoptOrphans(name => IsEntry(name) && Path.Combine(_slot.Root, name) != QuarantineDirectory);
        if (adopted.Count > 0)
        {
            SpoolLog.OrphansAdopted(_logger, adopted.Count, Directory);
            _written.Release();
        }
        return adopted.Count;
    }

    /// <summary>Whether a folder of a slot is an entry: not hidden (temp writes, other slots) and not the old rejected folder.</summary>
    private static bool IsEntry(string name) => !name.StartsWith('.') && name != RejectedFolderName;

    /// <summary>The files of <paramref name="entry"/> as the spool writes them: the image file (if any), then <see cref="EntryFileName"/>.</summary>
    internal static List<(string FileName, ReadOnlyMemory<byte> Data)> EntryFiles(SpoolEntry entry, ReadOnlyMemory<byte> data)
    {
        var files = new List<(string, ReadOnlyMemory<byte>)>();
        if (entry.Image is { } image)
        {
            files.Add((image.FileName, data));
        }
        files.Add((EntryFileName, Serialize(entry)));
        return files;
    }

    private SpoolEntry NewEntry(RunRecord run, SpooledImage? image, string suffix)
    {
        var now = _time.GetUtcNow();
        var sequence = Interlocked.Increment(ref _sequence);
        var name = string.Create(CultureInfo.InvariantCulture, $"{now:yyyyMMdd'T'HHmmssfffffff}-{sequence:D8}-{run.RunId}-{suffix}");
        return new SpoolEntry { Name = name, RunId = run.RunId, Run = run.Clone(), Image = image, SpooledAt = now };
    }

    private async Task CommitAsync(SpoolEntry entry, ReadOnlyMemory<byte> data)
    {
        await DurableFolder.CommitAsync(Directory, entry.Name, EntryFiles(entry, data));
        _written.Release();
    }

    private static byte[] Serialize(SpoolEntry entry)
    {
        var file = new EntryFile
        {
            Version = 1,
            RunId = entry.RunId,
            SpooledAt = entry.SpooledAt,
            Image = entry.Image,
            ImageCount = entry.ImageCount,
            Run = JsonNode.Parse(s_runFormatter.Format(entry.Run)),
        };
        return JsonSerializer.SerializeToUtf8Bytes(file, s_json);
    }

    private SpoolEntry Read(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Directory, name, EntryFileName));
        var file = JsonSerializer.Deserialize<EntryFile>(bytes, s_json) ?? throw new JsonException("entry.json is empty");
        if (file.Version != 1 || string.IsNullOrEmpty(file.RunId) || file.Run is null)
        {
            throw new JsonException($"entry.json has version {file.Version}, run id '{file.RunId}'; expected version 1 with a run id and a run");
        }
        return new SpoolEntry
        {
            Name = name,
            RunId = file.RunId,
            Run = s_runParser.Parse<RunRecord>(file.Run.ToJsonString()),
            Image = file.Image,
            ImageCount = file.ImageCount,
            SpooledAt = file.SpooledAt,
        };
    }

    private void RemoveUnfinishedWrites()
    {
        foreach (var name in DurableFolder.RemoveUnfinished(Directory))
        {
            SpoolLog.UnfinishedRemoved(_logger, name);
        }
    }

    /// <summary>The on-disk form of an entry (entry.json, snake_case).</summary>
    private sealed record EntryFile
    {
        public int Version { get; init; }

        public string RunId { get; init; } = "";

        public DateTimeOffset SpooledAt { get; init; }

        public SpooledImage? Image { get; init; }

        public int ImageCount { get; init; }

        public JsonNode? Run { get; init; }
    }
}

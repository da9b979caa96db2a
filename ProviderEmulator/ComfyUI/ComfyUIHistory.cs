using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace ProviderEmulator.ComfyUI;

/// <summary>
/// Finished prompts (<c>/history</c>) and the images they saved (<c>/view</c>), in memory, the newest
/// <see cref="Capacity"/> prompts kept.
/// </summary>
internal sealed class ComfyUIHistory
{
    public const int Capacity = 256;

    private readonly object _gate = new();
    private readonly Dictionary<string, JsonObject> _entries = new(StringComparer.Ordinal);
    private readonly Queue<(string PromptId, List<string> Files)> _order = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private long _fileCounter;

    /// <summary>A new output file name as SaveImage makes them: <c>{prefix}_00001_.png</c>.</summary>
    public string NextFileName(string prefix) => $"{prefix}_{Interlocked.Increment(ref _fileCounter):D5}_.png";

    public void SaveFile(string type, string filename, byte[] bytes) => _files[Key(type, filename)] = bytes;

    public byte[]? File(string type, string subfolder, string filename) =>
        subfolder.Length == 0 && _files.TryGetValue(Key(type, filename), out var bytes) ? bytes : null;

    public void Add(string promptId, JsonObject entry, IEnumerable<(string Type, string Filename)> files)
    {
        lock (_gate)
        {
            _entries[promptId] = entry;
            _order.Enqueue((promptId, [.. files.Select(f => Key(f.Type, f.Filename))]));
            while (_order.Count > Capacity)
            {
                var (old, oldFiles) = _order.Dequeue();
                _entries.Remove(old);
                oldFiles.ForEach(f => _files.TryRemove(f, out _));
            }
        }
    }

    /// <summary><c>{prompt_id: entry}</c> for one prompt (empty when unknown), or for the newest <paramref name="maxItems"/> (all when null).</summary>
    public JsonObject Get(string? promptId = null, int? maxItems = null)
    {
        lock (_gate)
        {
            var result = new JsonObject();
            IEnumerable<string> ids = promptId is not null ? [promptId] : _order.Select(o => o.PromptId).Reverse().Take(maxItems ?? int.MaxValue).Reverse();
            foreach (var id in ids)
            {
                if (_entries.TryGetValue(id, out var entry))
                {
                    result[id] = entry.DeepClone();
                }
            }
            return result;
        }
    }

    private static string Key(string type, string filename) => $"{type}/{filename}";
}

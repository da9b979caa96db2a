using System.Security.Cryptography;
using ProviderEmulator.Hosting;

namespace ProviderEmulator.Ledger;

/// <summary>One final image the emulator delivered whole.</summary>
/// <param name="RunId">The run it was for, as the caller sent it (OpenAI <c>user</c>); null when the request named none.</param>
/// <param name="Sha256">SHA-256 of the image bytes, lower-case hex.</param>
/// <param name="Bytes">Size of the image.</param>
/// <param name="ImageIndex">Which image of the reply (0-based).</param>
/// <param name="RequestId">The <c>x-request-id</c> of the reply.</param>
/// <param name="Path">The API path that delivered it.</param>
/// <param name="At">When its last byte was written.</param>
public sealed record LedgerEntry(string? RunId, string Sha256, long Bytes, int ImageIndex, string RequestId, string Path, DateTimeOffset At);

/// <summary>
/// The images the emulator delivered, final images only (never partials, never a reply a fault broke or cut), each with
/// its run and SHA-256, so a fault test can check every delivered image was stored. Thread-safe; keeps the last 10,000.
/// </summary>
public sealed class ImageLedger(TimeProvider time)
{
    /// <summary>Entries kept; older ones are dropped (and counted in <see cref="Dropped"/>).</summary>
    public const int Capacity = 10_000;

    private readonly object _gate = new();
    private readonly Queue<LedgerEntry> _entries = new();
    private long _dropped;

    /// <summary>Entries dropped because the ledger was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The entries, oldest first, optionally only those of <paramref name="runId"/>.</summary>
    public IReadOnlyList<LedgerEntry> Entries(string? runId = null)
    {
        lock (_gate)
        {
            return [.. _entries.Where(e => runId is null || e.RunId == runId)];
        }
    }

    /// <summary>Records that <paramref name="image"/> (image <paramref name="index"/> of the reply) reached the client whole.</summary>
    internal void Record(HttpContext context, string? runId, int index, byte[] image)
    {
        var request = EmulatorRequest.Get(context);
        var entry = new LedgerEntry(string.IsNullOrEmpty(runId) ? null : runId, Convert.ToHexStringLower(SHA256.HashData(image)), image.Length, index,
            request.Id, context.Request.Path.Value ?? "/", time.GetUtcNow());
        lock (_gate)
        {
            if (_entries.Count == Capacity)
            {
                _entries.Dequeue();
                Interlocked.Increment(ref _dropped);
            }

            _entries.Enqueue(entry);
        }
    }
}

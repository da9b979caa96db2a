using System.Security.Cryptography;
using Pipeline.Reliability.Fleet;

namespace Pipeline.Reliability.Faults;

/// <summary>
/// Compares the emulator's ledger with what the fleet kept: storage (GetRun through the gateway), the router's spool
/// (<c>{data}/spool</c>) and its quarantine (<c>{data}/quarantine</c>). Folders are read before storage, so an image the
/// spool delivers in between is found in storage rather than counted lost.
/// </summary>
internal sealed class ImageAccounting(FleetUnderTest fleet, EmulatorControl emulator, GenerationProbe probe)
{
    private string SpoolDirectory => Path.Combine(fleet.DataDirectory, "spool");

    private string QuarantineDirectory => Path.Combine(fleet.DataDirectory, "quarantine");

    /// <summary>Accounts for every image the emulator delivered for <paramref name="runIds"/>.</summary>
    public async Task<ImageAccount> CountAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken)
    {
        var spooled = Hashes(SpoolDirectory);
        var quarantined = Hashes(QuarantineDirectory);
        var account = ImageAccount.None;
        foreach (var runId in runIds.Where(r => r.Length > 0).Distinct(StringComparer.Ordinal))
        {
            var delivered = await emulator.DeliveredAsync(runId, cancellationToken);
            if (delivered.Count == 0)
            {
                continue;
            }
            var stored = (await probe.StoredAsync(runId, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var inStorage = delivered.Count(stored.Contains);
            var inSpool = delivered.Count(sha => !stored.Contains(sha) && spooled.Contains(sha));
            var inQuarantine = delivered.Count(sha => !stored.Contains(sha) && !spooled.Contains(sha) && quarantined.Contains(sha));
            var lost = delivered.Where(sha => !stored.Contains(sha) && !spooled.Contains(sha) && !quarantined.Contains(sha)).Select(sha => $"{runId}: {sha[..12]}").ToList();
            account += new ImageAccount(delivered.Count, inStorage, inSpool, inQuarantine, lost);
        }
        return account;
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until the spool holds no image; true when it emptied.</summary>
    public async Task<bool> WaitSpoolEmptyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The spool's delivery is inside the router; its folder is the only thing the suite can watch.
        var deadline = DateTime.UtcNow + timeout;
        while (Hashes(SpoolDirectory).Count > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
        return true;
    }

    /// <summary>SHA-256 of every image file in the committed entry folders under <paramref name="root"/>.</summary>
    private static HashSet<string> Hashes(string root)
    {
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return hashes;
        }
        foreach (var folder in Directory.EnumerateDirectories(root).Where(f => !Path.GetFileName(f).StartsWith('.')))
        {
            try
            {
                foreach (var file in Directory.EnumerateFiles(folder).Where(f => !f.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
                {
                    hashes.Add(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))));
                }
            }
            catch (IOException)
            {
                // The entry was delivered (and removed) while being read; storage has it.
            }
        }
        return hashes;
    }
}

using Pipeline.ServiceDefaults;

namespace Router.Service.Spool;

/// <summary>
/// The spool folder one router process owns while it runs. Routers may share a spool root (replicas on one machine, a
/// shared volume): slot 0 is the root itself (where a single router has always spooled), slot n is <c>{root}/.slot-n</c>.
/// A router takes the first slot whose lock file it can lock exclusively and holds the lock until it exits, so only it
/// writes and delivers that slot's entries: no spooled image is delivered twice. A slot whose owner died is unlocked; the
/// next router to look adopts its entries (<see cref="AdoptOrphans"/>), so none waits for a router that is not coming back.
/// </summary>
public sealed class SpoolSlot : IDisposable
{
    /// <summary>The lock file in every slot folder.</summary>
    public const string LockFileName = ".owner.lock";

    /// <summary>The folder name prefix of slots after the first.</summary>
    public const string SlotPrefix = ".slot-";

    /// <summary>Slots tried before giving up (far more routers than share one volume).</summary>
    public const int MaxSlots = 256;

    private readonly FileStream _lock;

    private SpoolSlot(string root, string directory, FileStream ownerLock)
    {
        Root = root;
        Directory = directory;
        _lock = ownerLock;
    }

    /// <summary>The shared spool root (absolute).</summary>
    public string Root { get; }

    /// <summary>This process's slot folder (absolute).</summary>
    public string Directory { get; }

    /// <summary>Claims the first free slot under <paramref name="root"/>, creating folders as needed.</summary>
    public static SpoolSlot Claim(string root)
    {
        System.IO.Directory.CreateDirectory(root);
        for (var n = 0; n < MaxSlots; n++)
        {
            var directory = SlotDirectory(root, n);
            System.IO.Directory.CreateDirectory(directory);
            if (TryLock(directory) is { } owner)
            {
                return new SpoolSlot(root, directory, owner);
            }
        }
        throw new InvalidOperationException($"Every one of the {MaxSlots} spool slots under {root} is held by a running router.");
    }

    /// <summary>
    /// Moves the entries of every slot no process holds into this one (each entry folder renamed whole, so it is in one
    /// slot or the other, never both); returns the names moved.
    /// </summary>
    public IReadOnlyList<string> AdoptOrphans(Func<string, bool> isEntry)
    {
        var adopted = new List<string>();
        foreach (var directory in OtherSlots())
        {
            using var owner = TryLock(directory);
            if (owner is null)
            {
                continue;
            }
            DurableFolder.RemoveUnfinished(directory);
            foreach (var folder in System.IO.Directory.EnumerateDirectories(directory).Where(f => isEntry(Path.GetFileName(f))))
            {
                var name = Path.GetFileName(folder);
                System.IO.Directory.Move(folder, Path.Combine(Directory, name));
                adopted.Add(name);
            }
            if (adopted.Count > 0)
            {
                DirectorySync.Flush(Directory);
                DirectorySync.Flush(directory);
            }
        }
        return adopted;
    }

    public void Dispose() => _lock.Dispose();

    private static string SlotDirectory(string root, int n) => n == 0 ? root : Path.Combine(root, SlotPrefix + n);

    private IEnumerable<string> OtherSlots()
    {
        IEnumerable<string> slots = [Root, .. System.IO.Directory.EnumerateDirectories(Root, SlotPrefix + "*")];
        return slots.Where(s => s != Directory).ToList();
    }

    /// <summary>An exclusive lock on the slot's lock file (flock on Unix), or null when another open file holds it.</summary>
    private static FileStream? TryLock(string directory)
    {
        try
        {
            return new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

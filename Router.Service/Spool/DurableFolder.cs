using Pipeline.ServiceDefaults;

namespace Router.Service.Spool;

/// <summary>
/// Writes a folder of files that exists whole or not at all: every file is written under a temporary folder
/// (<c>.tmp-{name}</c>) and fsynced, the folder is fsynced, renamed into place, and its parent fsynced. Shared by the
/// spool and the quarantine.
/// </summary>
internal static class DurableFolder
{
    /// <summary>The name prefix of a folder still being written (removed at start-up if a crash left it).</summary>
    public const string TempPrefix = ".tmp-";

    /// <summary>Commits <paramref name="files"/> as the folder <paramref name="name"/> under <paramref name="parent"/>; throws <see cref="IOException"/> if that folder exists.</summary>
    public static async Task CommitAsync(string parent, string name, IReadOnlyList<(string FileName, ReadOnlyMemory<byte> Data)> files)
    {
        var temp = Path.Combine(parent, TempPrefix + name);
        Directory.CreateDirectory(temp);
        try
        {
            foreach (var (fileName, data) in files)
            {
                await WriteFileAsync(Path.Combine(temp, fileName), data);
            }
            DirectorySync.Flush(temp);
            Directory.Move(temp, Path.Combine(parent, name));
            DirectorySync.Flush(parent);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Deletes the unfinished writes under <paramref name="parent"/>; returns their names.</summary>
    public static IReadOnlyList<string> RemoveUnfinished(string parent)
    {
        var removed = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(parent, TempPrefix + "*"))
        {
            TryDelete(folder);
            removed.Add(Path.GetFileName(folder));
        }
        return removed;
    }

    private static async Task WriteFileAsync(string path, ReadOnlyMemory<byte> data)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        await file.WriteAsync(data);
        file.Flush(flushToDisk: true);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the next start-up's sweep.
        }
    }
}

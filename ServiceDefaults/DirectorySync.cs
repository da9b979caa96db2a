using System.Runtime.InteropServices;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// Syncs a folder so a rename or delete inside it survives power loss, not only a process crash (POSIX needs an
/// fsync of the folder itself; .NET has no API for it). A no-op on Windows, where NTFS journals the rename.
/// Storage's blob store and the router's spool both commit files this way.
/// </summary>
public static partial class DirectorySync
{
    // O_RDONLY; opening a folder read-only is enough to fsync it, and O_DIRECTORY's value differs between CPUs.
    private const int ORdOnly = 0;

    /// <summary>fsyncs <paramref name="directory"/> on Linux; failures to open it are ignored (the rename itself succeeded).</summary>
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var fd = Open(directory, ORdOnly);
        if (fd < 0)
        {
            return;
        }
        try
        {
            _ = FSync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}

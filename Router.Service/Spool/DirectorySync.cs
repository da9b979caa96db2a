using System.Runtime.InteropServices;

namespace Router.Service.Spool;

/// <summary>
/// Syncs a folder so a rename inside it survives power loss, not only a process crash (POSIX needs an fsync of the
/// folder itself; .NET has no API for it). A no-op elsewhere than Linux.
/// </summary>
internal static partial class DirectorySync
{
    // O_RDONLY: opening a folder read-only is enough to fsync it.
    private const int ORdOnly = 0;

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

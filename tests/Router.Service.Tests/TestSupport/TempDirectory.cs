namespace Router.Service.Tests.TestSupport;

/// <summary>A fresh folder under the system temp folder, removed on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "router-tests") => System.IO.Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"));

    public string Path { get; }

    public void Dispose()
    {
        // A stopped host may still finish a file operation for a moment (SQLite closing its last connection): retry briefly.
        for (var attempt = 0; attempt < 20 && System.IO.Directory.Exists(Path); attempt++)
        {
            try
            {
                System.IO.Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                Thread.Sleep(50);
            }
        }
    }
}

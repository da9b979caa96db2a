using System.Text.Json;
using Pipeline.Contracts.Storage.V1;
using Storage.Service.Configuration;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Export;

public abstract class RunExporterTests(StorageBackend backend)
{
    [Fact]
    public async Task PutImage_ExportEnabled_WritesRunFolderWithImagesAndMetadata()
    {
        using var export = new TempDirectory();
        await using var host = await StorageHost.StartAsync(backend, new Dictionary<string, string?>
        {
            ["Storage:Export:Enabled"] = "true",
            ["Storage:Export:Root"] = export.Path,
        });
        var png = TestImages.Png(6, 6);
        var jpeg = TestImages.Jpeg(8, 8);

        await host.Client.PutImageAsync(Requests.Put("exported", 0, png), Requests.Timeout).ResponseAsync.DefaultTimeout();
        await host.Client.PutImageAsync(Requests.Put("exported", 1, jpeg), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var folder = Path.Combine(export.Path, "exported");
        Assert.Equal(png, await File.ReadAllBytesAsync(Path.Combine(folder, "exported-0.png")).DefaultTimeout());
        Assert.Equal(jpeg, await File.ReadAllBytesAsync(Path.Combine(folder, "exported-1.jpg")).DefaultTimeout());
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "run.json")).DefaultTimeout());
        Assert.Equal("exported", json.RootElement.GetProperty("runId").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("images").GetArrayLength());
        Assert.Empty(Directory.EnumerateFiles(folder, "*.tmp"));

        await host.Client.DeleteRunAsync(new DeleteRunRequest { RunId = "exported" }, Requests.Timeout).ResponseAsync.DefaultTimeout();
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task PutImage_ExportDisabledByDefault_WritesNoFolder()
    {
        await using var host = await StorageHost.StartAsync(backend);

        await host.Client.PutImageAsync(Requests.Put("plain", 0, TestImages.Png()), Requests.Timeout).ResponseAsync.DefaultTimeout();

        string[] metadataFiles = backend.Metadata == MetadataBackend.Sqlite ? ["storage.db", "storage.db-shm", "storage.db-wal"] : [];
        string[] blobFolders = backend.Blobs == BlobStoreKind.Files ? ["blobs"] : [];
        Assert.Equal([.. blobFolders, .. metadataFiles],
            Directory.EnumerateFileSystemEntries(host.DataDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>On SQLite metadata.</summary>
    public sealed class Sqlite() : RunExporterTests(StorageBackend.Sqlite);

    /// <summary>On PostgreSQL metadata.</summary>
    public sealed class Postgres() : RunExporterTests(StorageBackend.Postgres);
}

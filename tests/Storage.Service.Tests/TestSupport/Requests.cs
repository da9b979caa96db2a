using Storage.Service.Blobs;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;
using Storage.Service.Metadata;
using StorageClient = Pipeline.Contracts.Storage.V1.Storage.StorageClient;

namespace Storage.Service.Tests.TestSupport;

/// <summary>Request builders and read-back helpers shared by the tests.</summary>
internal static class Requests
{
    public static PutImageRequest Put(string runId, int index, byte[] data, string config = "cfg", string imageId = "") => new()
    {
        Run = new RunRecord { RunId = runId, Config = config, Provider = "emulator", Model = "m1", Prompt = "a red fox" },
        ImageIndex = index,
        Data = ByteString.CopyFrom(data),
        ImageId = imageId,
    };

    /// <summary>Call options with a deadline of <see cref="TestTimeouts.Default"/> from now (a new deadline on every read).</summary>
    public static CallOptions Timeout => new(deadline: DateTime.UtcNow + TestTimeouts.Default);

    /// <summary>Call options like <see cref="Timeout"/>, made for <paramref name="caller"/> (its caller metadata).</summary>
    public static CallOptions As(Caller caller) => new(headers: caller.AddTo(null), deadline: DateTime.UtcNow + TestTimeouts.Default);

    /// <summary>A member of <paramref name="tenant"/>.</summary>
    public static Caller Member(string tenant) => new(tenant);

    /// <summary>An admin (of tenant "ops").</summary>
    public static Caller Admin { get; } = new("ops", CallerRole.Admin);

    /// <summary>Reads an image through the GetImage stream as <paramref name="caller"/>.</summary>
    public static async Task<byte[]> ReadImageAsAsync(StorageClient client, string imageId, Caller caller)
    {
        using var call = client.GetImage(new GetImageRequest { ImageId = imageId }, As(caller));
        using var bytes = new MemoryStream();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            chunk.Data.WriteTo(bytes);
        }
        return bytes.ToArray();
    }

    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>Reads an image through the GetImage stream; returns its record and bytes.</summary>
    public static async Task<(ImageRecord Image, byte[] Bytes, int Chunks)> ReadImageAsync(StorageClient client, string imageId, int chunkSize = 0)
    {
        using var call = client.GetImage(new GetImageRequest { ImageId = imageId, ChunkSize = chunkSize }, Timeout);
        ImageRecord? image = null;
        using var bytes = new MemoryStream();
        var chunks = 0;
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            image ??= chunk.Image;
            Assert.Equal(bytes.Length, chunk.Offset);
            chunk.Data.WriteTo(bytes);
            chunks++;
        }
        return (image ?? throw new InvalidOperationException("no chunk carried the image record"), bytes.ToArray(), chunks);
    }

    /// <summary>
    /// The store's invariant, read from a stopped service's folder (SQLite metadata): every blob file has an image row
    /// and every row's blob exists; no unfinished writes remain. Returns the blob names.
    /// </summary>
    public static IReadOnlySet<string> AssertBlobsMatchRows(string dataDirectory)
    {
        var rows = new HashSet<string>(StringComparer.Ordinal);
        var builder = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "storage.db"), Pooling = false };
        using (var connection = new SqliteConnection(builder.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sha256 FROM images;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(reader.GetString(0));
            }
        }
        return AssertBlobFilesAre(Path.Combine(dataDirectory, "blobs"), rows);
    }

    /// <summary>
    /// The store's invariant (see <see cref="AssertBlobsMatchRows(string)"/>) of a running host, on any backend: the blobs
    /// its blob store lists (files or objects) are exactly those its metadata references.
    /// </summary>
    public static async Task<IReadOnlySet<string>> AssertBlobsMatchRowsAsync(StorageHost host)
    {
        var rows = await host.Services.GetRequiredService<IMetadataStore>().GetReferencedBlobsAsync(CancellationToken.None).DefaultTimeout();
        if (host.Backend.Blobs == BlobStoreKind.Files)
        {
            return AssertBlobFilesAre(host.BlobRoot, rows);
        }
        var blobs = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in host.Services.GetRequiredService<IBlobStore>().EnumerateBlobsAsync(CancellationToken.None))
        {
            blobs.Add(blob);
        }
        Assert.Empty(blobs.Except(rows));
        Assert.Empty(rows.Except(blobs));
        return blobs;
    }

    private static IReadOnlySet<string> AssertBlobFilesAre(string blobRoot, IReadOnlySet<string> rows)
    {
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(blobRoot, ".tmp")));
        var files = Directory.EnumerateDirectories(blobRoot)
            .Where(d => Path.GetFileName(d) != ".tmp")
            .SelectMany(Directory.EnumerateFiles)
            .Select(Path.GetFileName)
            .ToHashSet(StringComparer.Ordinal)!;
        Assert.Empty(files.Except(rows));
        Assert.Empty(rows.Except(files!));
        return files!;
    }
}

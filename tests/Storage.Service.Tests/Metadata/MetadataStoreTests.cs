using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Storage.V1;
using Storage.Service.Configuration;
using Storage.Service.Metadata;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Metadata;

/// <summary><see cref="IMetadataStore"/> directly, on each backend: what the gRPC suite cannot reach, such as two replicas.</summary>
public abstract class MetadataStoreTests(StorageBackend backend)
{
    [Fact]
    public async Task InitializeAsync_NewDatabaseTwice_SchemaAtLatestVersion()
    {
        await using var database = await MetadataDatabase.CreateAsync(backend.Metadata);
        var store = database.OpenStore();
        Assert.Equal(0, await store.GetSchemaVersionAsync(CancellationToken.None).DefaultTimeout());

        await store.InitializeAsync(CancellationToken.None).DefaultTimeout();
        await store.InitializeAsync(CancellationToken.None).DefaultTimeout();

        Assert.Equal(LatestVersion, await store.GetSchemaVersionAsync(CancellationToken.None).DefaultTimeout());
        Assert.True(await store.PingAsync(CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task DeleteRunAsync_RunWithImages_ReturnsDeletedImagesAndLeavesNoRows()
    {
        await using var database = await MetadataDatabase.CreateAsync(backend.Metadata);
        var store = await database.OpenInitializedStoreAsync();
        var image = Image("r", 0);
        await store.InsertImageAsync(new RunRecord { RunId = "r" }, image, CancellationToken.None).DefaultTimeout();

        var deleted = await store.DeleteRunAsync("r", null, CancellationToken.None).DefaultTimeout();

        Assert.Equal(image, Assert.Single(deleted!));
        Assert.False(await store.IsBlobReferencedAsync(image.Sha256, CancellationToken.None).DefaultTimeout());
        Assert.Null(await store.GetRunAsync("r", CancellationToken.None).DefaultTimeout());
        Assert.Null(await store.DeleteRunAsync("r", null, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task InsertImageAsync_SameRunAndIndexTwiceAtOnce_OneInsertedBothReturnIt()
    {
        await using var database = await MetadataDatabase.CreateAsync(backend.Metadata);
        var first = await database.OpenInitializedStoreAsync();
        // SQLite serialises image writes within one process (one store); PostgreSQL's writers may be two replicas.
        var second = backend.Metadata == MetadataBackend.Postgres ? await database.OpenInitializedStoreAsync() : first;
        var run = new RunRecord { RunId = "twice", Tenant = "alpha" };

        var results = await Task.WhenAll(
            first.InsertImageAsync(run, Image("twice", 0, 'a'), CancellationToken.None),
            second.InsertImageAsync(run, Image("twice", 0, 'b'), CancellationToken.None)).DefaultTimeout();

        var inserted = Assert.Single(results, r => r.Inserted);
        Assert.All(results, r => Assert.Equal(inserted.Image, r.Image));
        Assert.Equal(inserted.Image, Assert.Single((await first.GetRunAsync("twice", CancellationToken.None).DefaultTimeout())!.Images));
    }

    [Fact]
    public async Task ClaimRunAsync_OneRunIdFromTwoReplicasAtOnce_ExactlyOneClaimed()
    {
        await using var database = await MetadataDatabase.CreateAsync(backend.Metadata);
        var replicas = new[] { await database.OpenInitializedStoreAsync(), await database.OpenInitializedStoreAsync() };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            replicas[i % 2].ClaimRunAsync(ClaimOf("race"), StorageEngine.DefaultStaleAfter, CancellationToken.None))).DefaultTimeout();

        Assert.Single(outcomes, o => o.Result == ClaimResult.Claimed);
        Assert.All(outcomes.Where(o => o.Result != ClaimResult.Claimed), o => Assert.Equal(ClaimResult.Running, o.Result));
    }

    [Fact]
    public async Task ListRunsAsync_RunsCreatedAtTheSameInstant_PagedInOrdinalRunIdOrderWithoutRepeatsOrGaps()
    {
        await using var database = await MetadataDatabase.CreateAsync(backend.Metadata);
        var store = await database.OpenInitializedStoreAsync();
        // Case, digits, '-' and '_' sort differently under a linguistic collation than byte by byte.
        string[] ids = ["a_b", "a-c", "aB", "ab", "A1", "Z", "_x", "-y", "0"];
        var created = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        foreach (var id in ids)
        {
            await store.UpsertRunAsync(new RunRecord { RunId = id, Tenant = "alpha", CreatedAt = created }, CancellationToken.None).DefaultTimeout();
        }

        var listed = new List<string>();
        RunCursor? after = null;
        while (true)
        {
            var page = await store.ListRunsAsync(RunFilter.None, "alpha", after, 2, CancellationToken.None).DefaultTimeout();
            listed.AddRange(page.Select(r => r.RunId));
            if (page.Count < 2)
            {
                break;
            }
            after = new RunCursor(RowValues.ToMicros(page[^1].CreatedAt), page[^1].RunId, "");
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal).Reverse(), listed);
    }

    [Fact]
    public async Task GetSpendAsync_RunsWithKnownUnknownAndUnrecordedCost_SumsAndFlagsOnlyUnknown()
    {
        await using var database = await MetadataDatabase.CreateAsync(backend.Metadata);
        var store = await database.OpenInitializedStoreAsync();
        await store.UpsertRunAsync(new RunRecord { RunId = "known", Tenant = "alpha", CostUsdMicros = 1_500, CostKnown = true }, CancellationToken.None).DefaultTimeout();
        await store.UpsertRunAsync(new RunRecord { RunId = "unrecorded", Tenant = "alpha", CostUsdMicros = 250 }, CancellationToken.None).DefaultTimeout();
        await store.UpsertRunAsync(new RunRecord { RunId = "other", Tenant = "beta", CostUsdMicros = 9_000, CostKnown = false }, CancellationToken.None).DefaultTimeout();

        var alpha = await store.GetSpendAsync("alpha", long.MinValue, CancellationToken.None).DefaultTimeout();
        var beta = await store.GetSpendAsync("beta", long.MinValue, CancellationToken.None).DefaultTimeout();
        var nobody = await store.GetSpendAsync("gamma", long.MinValue, CancellationToken.None).DefaultTimeout();

        Assert.Equal((1_750L, 2, true), (alpha.CostUsdMicros, alpha.Runs, alpha.CostKnown));
        Assert.Equal((9_000L, 1, false), (beta.CostUsdMicros, beta.Runs, beta.CostKnown));
        Assert.Equal((0L, 0, true), (nobody.CostUsdMicros, nobody.Runs, nobody.CostKnown));
    }

    private int LatestVersion => backend.Metadata == MetadataBackend.Sqlite ? SqliteMigrations.Latest : PostgresMigrations.Latest;

    private static ImageRecord Image(string runId, int index, char hash = 'a') => new()
    {
        ImageId = $"{runId}-{index}", RunId = runId, ImageIndex = index, Sha256 = new string(hash, 64), MimeType = "image/png",
        Width = 1, Height = 1, SizeBytes = 1, CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
    };

    private static RunRecord ClaimOf(string runId) => new()
    {
        RunId = runId, Tenant = "alpha", Config = "x_high", RequestDigest = { ["prompt"] = new string('a', 64) },
    };

    /// <summary>On SQLite metadata (two stores on one file).</summary>
    public sealed class Sqlite() : MetadataStoreTests(StorageBackend.Sqlite);

    /// <summary>On PostgreSQL metadata (two stores with their own data sources: two replicas).</summary>
    public sealed class Postgres() : MetadataStoreTests(StorageBackend.Postgres);
}

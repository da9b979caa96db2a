using Pipeline.Contracts.Storage.V1;

namespace Storage.Service.Metadata;

/// <summary>
/// Run and image metadata: SQLite (<see cref="SqliteMetadataStore"/>, one process) or PostgreSQL
/// (<see cref="PostgresMetadataStore"/>, shared by replicas), with the same behaviour. Every write is atomic: a crash
/// leaves the state before or after it.
/// </summary>
public interface IMetadataStore
{
    /// <summary>Creates or migrates the schema to the latest version.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>The applied schema version (0 before <see cref="InitializeAsync"/>).</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken);

    /// <summary>A run with its images ordered by index; null when unknown.</summary>
    Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the run or merges the non-empty fields of <paramref name="run"/> into it; returns the stored run with its
    /// images. ALREADY_EXISTS when <paramref name="run"/> names a tenant other than the stored run's.
    /// </summary>
    Task<RunRecord> UpsertRunAsync(RunRecord run, CancellationToken cancellationToken);

    /// <summary>The tenant that owns a run (never empty: legacy runs are the default tenant's); null when unknown.</summary>
    Task<string?> GetRunTenantAsync(string runId, CancellationToken cancellationToken);

    /// <summary>An image; null when unknown.</summary>
    Task<ImageRecord?> GetImageAsync(string imageId, CancellationToken cancellationToken);

    /// <summary>The image stored at (run id, index); null when none.</summary>
    Task<ImageRecord?> GetImageAtIndexAsync(string runId, int imageIndex, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: upserts <paramref name="run"/> and inserts <paramref name="image"/> unless its (run id, index)
    /// is taken, in which case the stored image is returned with <c>Inserted = false</c>.
    /// </summary>
    Task<(ImageRecord Image, bool Inserted)> InsertImageAsync(RunRecord run, ImageRecord image, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: stores <paramref name="tiles"/> as images of <paramref name="runId"/> at the next free indexes
    /// (their ids default to "{run id}-{index}"); returns them as stored.
    /// </summary>
    Task<IReadOnlyList<ImageRecord>> InsertTilesAsync(string runId, IReadOnlyList<ImageRecord> tiles, CancellationToken cancellationToken);

    /// <summary>Tiles cut from <paramref name="sourceImageId"/>, row by row.</summary>
    Task<IReadOnlyList<ImageRecord>> GetTilesAsync(string sourceImageId, CancellationToken cancellationToken);

    /// <summary>
    /// One page of runs, newest first (created at, then run id, descending), with their images; only
    /// <paramref name="tenant"/>'s runs unless it is null (every tenant's).
    /// </summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunFilter filter, string? tenant, RunCursor? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a run and its images; returns the deleted images, or null when the run is unknown or not
    /// <paramref name="tenant"/>'s (null: any tenant's).
    /// </summary>
    Task<IReadOnlyList<ImageRecord>?> DeleteRunAsync(string runId, string? tenant, CancellationToken cancellationToken);

    /// <summary>
    /// In one write transaction, claims <paramref name="run"/>'s id for its tenant and request digest (the outcomes of
    /// <see cref="ClaimResult"/>); a RUNNING run not updated for <paramref name="staleAfter"/> counts as abandoned.
    /// </summary>
    Task<ClaimRunResponse> ClaimRunAsync(RunRecord run, TimeSpan staleAfter, CancellationToken cancellationToken);

    /// <summary>What <paramref name="tenant"/>'s runs created at or after <paramref name="sinceMicros"/> (Unix microseconds) cost.</summary>
    Task<GetSpendResponse> GetSpendAsync(string tenant, long sinceMicros, CancellationToken cancellationToken);

    /// <summary>Whether any image references the blob.</summary>
    Task<bool> IsBlobReferencedAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>Every blob any image references.</summary>
    Task<IReadOnlySet<string>> GetReferencedBlobsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Holds the given blob lock stripes (ascending, see <see cref="Blobs.BlobLocks"/>) against every other process that
    /// shares this store until the result is disposed: PostgreSQL takes session advisory locks, so a put on one replica and
    /// a delete or sweep on another never cross; SQLite, used by one process, has nothing to add to the in-process stripes.
    /// </summary>
    Task<IAsyncDisposable> LockBlobStripesAsync(IReadOnlyList<int> stripes, CancellationToken cancellationToken);

    /// <summary>Whether the store answers (health).</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}

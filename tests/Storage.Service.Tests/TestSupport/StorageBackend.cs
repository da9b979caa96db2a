using Storage.Service.Configuration;

namespace Storage.Service.Tests.TestSupport;

/// <summary>
/// Where a test's storage keeps its data; <see cref="StorageHost"/> turns it into configuration. The behaviour suite
/// runs once per variant: each suite class is abstract, with a thin nested class per variant.
/// </summary>
/// <param name="Metadata">The metadata backend (a fresh SQLite file, or a fresh database on the shared PostgreSQL server).</param>
/// <param name="Blobs">The blob store.</param>
public sealed record StorageBackend(MetadataBackend Metadata, BlobStoreKind Blobs)
{
    /// <summary>One process: SQLite metadata and blob files under the data folder.</summary>
    public static StorageBackend Sqlite { get; } = new(MetadataBackend.Sqlite, BlobStoreKind.Files);

    /// <summary>Shared by replicas: PostgreSQL metadata (blob files for now).</summary>
    public static StorageBackend Postgres { get; } = new(MetadataBackend.Postgres, BlobStoreKind.Files);

    public override string ToString() => $"{Metadata} metadata, {Blobs} blobs";
}

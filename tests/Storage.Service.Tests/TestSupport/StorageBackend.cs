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

    /// <summary>Shared by replicas: PostgreSQL metadata and blobs in an S3 bucket.</summary>
    public static StorageBackend Postgres { get; } = new(MetadataBackend.Postgres, BlobStoreKind.S3);

    /// <summary>SQLite metadata with blobs in an S3 bucket (the object store alone, for the S3 smoke tests).</summary>
    public static StorageBackend SqliteWithS3 { get; } = new(MetadataBackend.Sqlite, BlobStoreKind.S3);

    public override string ToString() => $"{Metadata} metadata, {Blobs} blobs";
}

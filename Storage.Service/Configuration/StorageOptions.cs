using Pipeline.Imaging;

namespace Storage.Service.Configuration;

/// <summary>The validated, immutable storage configuration the service runs with (see <see cref="StorageSettings"/>).</summary>
public sealed record StorageOptions
{
    /// <summary>Default <see cref="MaxImageBytes"/>: 50 MiB.</summary>
    public const int DefaultMaxImageBytes = 50 * 1024 * 1024;

    /// <summary>Room for run metadata next to the image bytes in one PutImage message.</summary>
    public const int RequestOverheadBytes = 1024 * 1024;

    /// <summary>Absolute root of the blob tree ("ab/abcdef…" shards, ".tmp" for writes in progress). Required.</summary>
    public required string BlobRoot { get; init; }

    /// <summary>Where image blobs live. Default <see cref="BlobBackend.FileSystem"/> (under <see cref="BlobRoot"/>).</summary>
    public BlobBackend BlobBackend { get; init; } = BlobBackend.FileSystem;

    /// <summary>The bucket of the S3 backend; set exactly when <see cref="BlobBackend"/> is <see cref="BlobBackend.S3"/>.</summary>
    public S3BlobOptions? S3 { get; init; }

    /// <summary>Absolute path of the SQLite database file. Required (unused by the PostgreSQL backend).</summary>
    public required string DatabasePath { get; init; }

    /// <summary>Largest image accepted, in bytes. Default 50 MiB.</summary>
    public int MaxImageBytes { get; init; } = DefaultMaxImageBytes;

    /// <summary>Largest declared image dimensions. Default 100 megapixels and 16,384 pixels per side.</summary>
    public ImageLimits ImageLimits { get; init; } = new();

    /// <summary>The metadata backend. Default <see cref="MetadataBackend.Sqlite"/>.</summary>
    public MetadataBackend MetadataBackend { get; init; } = MetadataBackend.Sqlite;

    /// <summary>The PostgreSQL database; set exactly when <see cref="MetadataBackend"/> is <see cref="MetadataBackend.Postgres"/>.</summary>
    public PostgresOptions? Postgres { get; init; }

    /// <summary>Run folder export. Default off.</summary>
    public ExportOptions Export { get; init; } = ExportOptions.Disabled;

    /// <summary>Test-only pauses. Default none.</summary>
    public FaultInjectionOptions FaultInjection { get; init; } = FaultInjectionOptions.None;

    /// <summary>The gRPC receive limit: the image cap plus room for metadata, so the cap, not the wire layer, answers first.</summary>
    public int GrpcMaxReceiveMessageSize => MaxImageBytes + RequestOverheadBytes;
}

/// <summary>Where run metadata lives.</summary>
public enum MetadataBackend
{
    /// <summary>A local SQLite file in WAL mode.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database, which several storage replicas may share.</summary>
    Postgres,
}

/// <summary>Where the PostgreSQL metadata database is.</summary>
/// <param name="ConnectionString">An Npgsql connection string (<c>ConnectionStrings:pipeline-db</c>); it may hold a password, so it is never printed.</param>
public sealed record PostgresOptions(string ConnectionString)
{
    /// <summary>The connection string name, as the AppHost and the Kubernetes manifests set it (<c>ConnectionStrings__pipeline-db</c>).</summary>
    public const string ConnectionStringName = "pipeline-db";

    public override string ToString() => "PostgresOptions { ConnectionString = (hidden) }";
}

/// <summary>Run folder export: "{Root}/{run id}/" with the images and run.json.</summary>
/// <param name="Enabled">Whether to export. Default false.</param>
/// <param name="Root">Absolute export folder; set when enabled.</param>
public sealed record ExportOptions(bool Enabled, string? Root)
{
    /// <summary>No export.</summary>
    public static readonly ExportOptions Disabled = new(false, null);
}

/// <summary>Pauses inside a put, so durability tests can kill the process at a known point.</summary>
/// <param name="PauseAfterTempWrite">After the temp file is written and synced, before the rename.</param>
/// <param name="PauseBeforeMetadataCommit">After the blob is in place, before the metadata commit.</param>
public sealed record FaultInjectionOptions(TimeSpan? PauseAfterTempWrite, TimeSpan? PauseBeforeMetadataCommit)
{
    /// <summary>No pauses.</summary>
    public static readonly FaultInjectionOptions None = new(null, null);
}

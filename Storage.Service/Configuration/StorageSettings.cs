using Pipeline.Imaging;

namespace Storage.Service.Configuration;

/// <summary>
/// The <c>Storage</c> configuration section as a user writes it (appsettings.json, environment, command line).
/// Bound as is, then validated into <see cref="StorageOptions"/>; nothing reads this type at run time.
/// </summary>
public sealed class StorageSettings
{
    /// <summary>Base folder for the defaults below; relative paths are resolved against the content root. Default "data".</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Where image blobs live: "FileSystem" (the default: files under <see cref="BlobRoot"/>) or "S3" (see <see cref="S3"/>).</summary>
    public string? BlobBackend { get; set; }

    /// <summary>Root of the content-addressed blob tree (the FileSystem backend). Default "{DataDirectory}/blobs".</summary>
    public string? BlobRoot { get; set; }

    /// <summary>The bucket of the S3 backend; read only when <see cref="BlobBackend"/> is "S3".</summary>
    public S3Settings S3 { get; set; } = new();

    /// <summary>The SQLite database file. Default "{DataDirectory}/storage.db".</summary>
    public string? DatabasePath { get; set; }

    /// <summary>Largest image accepted, in bytes. Default 52428800 (50 MiB); allowed 1024 to 1073741824.</summary>
    public long? MaxImageBytes { get; set; }

    /// <summary>
    /// Largest declared image dimensions (the decompression-bomb guard, checked on the header before anything else):
    /// <c>Storage:ImageLimits:MaxMegapixels</c> (default 100; 1 to 1000) and <c>Storage:ImageLimits:MaxSide</c> (default 16384; 16 to 65535).
    /// </summary>
    public ImageLimits ImageLimits { get; set; } = new();

    /// <summary>
    /// "Sqlite" (the default: the file at <see cref="DatabasePath"/>) or "Postgres" (the database named by the connection
    /// string <c>ConnectionStrings:pipeline-db</c>, outside this section; required then).
    /// </summary>
    public string? MetadataBackend { get; set; }

    /// <summary>The optional run folder export.</summary>
    public ExportSettings Export { get; set; } = new();

    /// <summary>Pauses for durability tests only; leave unset in every real deployment.</summary>
    public FaultInjectionSettings FaultInjection { get; set; } = new();
}

/// <summary>The <c>Storage:Export</c> section.</summary>
public sealed class ExportSettings
{
    /// <summary>Writes "{Root}/{run id}/" with the images and run.json after every change. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>Export folder; required when <see cref="Enabled"/>. Relative paths resolve against the content root.</summary>
    public string? Root { get; set; }
}

/// <summary>The <c>Storage:FaultInjection</c> section (tests only).</summary>
public sealed class FaultInjectionSettings
{
    /// <summary>Pause of a put after the blob's temp file is written and before it is renamed into place.</summary>
    public TimeSpan? PauseAfterTempWrite { get; set; }

    /// <summary>Pause of a put after the blob is in place and before the metadata transaction commits.</summary>
    public TimeSpan? PauseBeforeMetadataCommit { get; set; }
}

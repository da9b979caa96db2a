namespace Storage.Service.Configuration;

/// <summary>Where image blobs live (<c>Storage:BlobBackend</c>).</summary>
public enum BlobBackend
{
    /// <summary>Files under <see cref="StorageOptions.BlobRoot"/> (the default).</summary>
    FileSystem,

    /// <summary>Objects in an S3-compatible bucket (<see cref="StorageOptions.S3"/>).</summary>
    S3,
}

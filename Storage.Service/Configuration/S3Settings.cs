namespace Storage.Service.Configuration;

/// <summary>
/// The <c>Storage:S3</c> section: where <c>Storage:BlobBackend=S3</c> keeps image blobs. Environment names follow the
/// keys (<c>Storage__S3__ServiceUrl</c>, <c>Storage__S3__Bucket</c>, …).
/// </summary>
public sealed class S3Settings
{
    /// <summary>
    /// Endpoint of an S3-compatible server, e.g. "http://127.0.0.1:9000" (MinIO, s3rver, Ceph). Empty (the default):
    /// AWS's own endpoint for <see cref="Region"/>.
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The bucket the blobs go to; required. Created at start-up when missing.</summary>
    public string? Bucket { get; set; }

    /// <summary>The region requests are signed for (and AWS's endpoint when no ServiceUrl). Default "us-east-1".</summary>
    public string? Region { get; set; }

    /// <summary>Path-style addressing ("{ServiceUrl}/{Bucket}/{key}"). Default true when ServiceUrl is set, else false.</summary>
    public bool? ForcePathStyle { get; set; }

    /// <summary>Access key id; set together with <see cref="SecretKey"/>. Both empty (the default): the SDK's default credential chain.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Secret access key; set together with <see cref="AccessKey"/>. Never logged.</summary>
    public string? SecretKey { get; set; }
}

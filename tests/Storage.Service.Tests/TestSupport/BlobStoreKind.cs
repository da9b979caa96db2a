namespace Storage.Service.Tests.TestSupport;

/// <summary>The blob store of a <see cref="StorageBackend"/>.</summary>
public enum BlobStoreKind
{
    /// <summary>Content-addressed files under the data folder (<c>Storage:BlobRoot</c>).</summary>
    Files,

    /// <summary>A fresh bucket on the shared s3rver (<see cref="SharedServer{TServer}"/>).</summary>
    S3,
}

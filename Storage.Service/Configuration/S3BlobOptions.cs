using System.Text;

namespace Storage.Service.Configuration;

/// <summary>The validated <c>Storage:S3</c> section (see <see cref="S3Settings"/>). Its text form never shows the keys.</summary>
public sealed record S3BlobOptions
{
    /// <summary>Default <see cref="Region"/>.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>The bucket; required.</summary>
    public required string Bucket { get; init; }

    /// <summary>Endpoint of an S3-compatible server; null: AWS's endpoint for <see cref="Region"/>. Default null.</summary>
    public Uri? ServiceUrl { get; init; }

    /// <summary>The signing region. Default "us-east-1".</summary>
    public string Region { get; init; } = DefaultRegion;

    /// <summary>Path-style addressing. Default true when <see cref="ServiceUrl"/> is set, else false.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>Access key id; null (the default) with <see cref="SecretKey"/>: the SDK's default credential chain.</summary>
    public string? AccessKey { get; init; }

    /// <summary>Secret access key; set exactly when <see cref="AccessKey"/> is.</summary>
    public string? SecretKey { get; init; }

    /// <summary>Where the bucket is reached, for logs and errors.</summary>
    public string Endpoint => ServiceUrl?.ToString() ?? $"AWS {Region}";

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Bucket = {Bucket}, Endpoint = {Endpoint}, Region = {Region}, ForcePathStyle = {ForcePathStyle}, ");
        builder.Append(AccessKey is null ? "Credentials = default chain" : "Credentials = configured keys");
        return true;
    }
}

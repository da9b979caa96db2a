using System.Text.RegularExpressions;

namespace Storage.Service.Configuration;

/// <summary>The blob backend part of <see cref="StorageOptionsLoader"/>: <c>Storage:BlobBackend</c> and <c>Storage:S3</c>.</summary>
public static partial class StorageOptionsLoader
{
    private static (BlobBackend Backend, S3BlobOptions? S3) ValidateBlobBackend(StorageSettings settings, List<string> errors)
    {
        var backend = BlobBackend.FileSystem;
        if (!string.IsNullOrWhiteSpace(settings.BlobBackend) && !Enum.TryParse(settings.BlobBackend.Trim(), ignoreCase: true, out backend))
        {
            errors.Add($"'Storage:BlobBackend' is '{settings.BlobBackend}'; allowed: {string.Join(", ", Enum.GetNames<BlobBackend>())} (default FileSystem).");
            return (BlobBackend.FileSystem, null);
        }
        return backend == BlobBackend.S3 ? (backend, ValidateS3(settings.S3, errors)) : (backend, null);
    }

    private static S3BlobOptions? ValidateS3(S3Settings s3, List<string> errors)
    {
        var count = errors.Count;
        var bucket = s3.Bucket?.Trim() ?? "";
        if (bucket.Length == 0)
        {
            errors.Add("'Storage:BlobBackend' is S3 but 'Storage:S3:Bucket' is empty; set the bucket the blobs go to (it is created at start-up when missing).");
        }
        else if (!BucketName().IsMatch(bucket) || bucket.Contains("..", StringComparison.Ordinal))
        {
            errors.Add($"'Storage:S3:Bucket' is '{bucket}'; a bucket name has 3 to 63 lower-case letters, digits, dots and hyphens, and starts and ends with a letter or digit.");
        }

        Uri? serviceUrl = null;
        if (!string.IsNullOrWhiteSpace(s3.ServiceUrl))
        {
            if (Uri.TryCreate(s3.ServiceUrl.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Query.Length == 0 && url.UserInfo.Length == 0)
            {
                serviceUrl = url;
            }
            else
            {
                errors.Add($"'Storage:S3:ServiceUrl' is '{s3.ServiceUrl}'; give an absolute http:// or https:// URL without user info or query (e.g. http://127.0.0.1:9000), or leave it empty for AWS.");
            }
        }

        var region = string.IsNullOrWhiteSpace(s3.Region) ? S3BlobOptions.DefaultRegion : s3.Region.Trim();
        if (region.Length > 64 || !RegionName().IsMatch(region))
        {
            errors.Add($"'Storage:S3:Region' is '{region}'; give a region name of lower-case letters, digits and hyphens such as us-east-1 or eu-west-3 (default {S3BlobOptions.DefaultRegion}).");
        }

        var accessKey = string.IsNullOrWhiteSpace(s3.AccessKey) ? null : s3.AccessKey.Trim();
        var secretKey = string.IsNullOrEmpty(s3.SecretKey) ? null : s3.SecretKey;
        if ((accessKey is null) != (secretKey is null))
        {
            var (set, unset) = accessKey is null ? ("SecretKey", "AccessKey") : ("AccessKey", "SecretKey");
            errors.Add($"'Storage:S3:{set}' is set but 'Storage:S3:{unset}' is not; set both, or neither to use the SDK's default credential chain.");
        }

        return errors.Count > count ? null : new S3BlobOptions
        {
            Bucket = bucket,
            ServiceUrl = serviceUrl,
            Region = region,
            ForcePathStyle = s3.ForcePathStyle ?? serviceUrl is not null,
            AccessKey = accessKey,
            SecretKey = secretKey,
        };
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex RegionName();
}

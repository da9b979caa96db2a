using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Storage.Service.Configuration;
using Storage.Service.Validation;

namespace Storage.Service.Blobs;

/// <summary>
/// Blobs as objects "blobs/ab/abcdef…" in an S3-compatible bucket. A write checks the bytes against their name, then
/// sends one PUT carrying the SHA-256 checksum (x-amz-checksum-sha256), so a server that verifies checksums rejects
/// bytes damaged on the way; a single PUT is atomic, so an object is complete or absent. Reads are seekable: a seek
/// reopens the object with a ranged GET. SDK and transport failures surface as <see cref="IOException"/>.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    /// <summary>The key prefix of every blob.</summary>
    public const string KeyPrefix = "blobs/";

    private readonly IAmazonS3 _client;
    private readonly S3BlobOptions _options;
    private readonly ILogger<S3BlobStore> _logger;

    public S3BlobStore(S3BlobOptions options, ILogger<S3BlobStore> logger)
    {
        _options = options;
        _logger = logger;
        _client = CreateClient(options);
    }

    /// <summary>Keys per listing page; null: the server's default (1,000 on AWS). Tests set a small one to cross pages.</summary>
    internal int? ListPageSize { get; set; }

    public string Location => $"s3://{_options.Bucket}/{KeyPrefix} at {_options.Endpoint}";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (await CheckHealthAsync(cancellationToken) is null)
        {
            return;
        }
        try
        {
            var request = new PutBucketRequest { BucketName = _options.Bucket, UseClientRegion = false };
            if (_options.Region != S3BlobOptions.DefaultRegion)
            {
                request.BucketRegionName = _options.Region;
            }
            await _client.PutBucketAsync(request, cancellationToken);
            S3BlobLog.BucketCreated(_logger, _options.Bucket, _options.Endpoint);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou")
        {
            // Created by another replica since the check.
        }
        catch (Exception ex) when (IsRemoteFailure(ex))
        {
            throw Failure($"creating bucket {_options.Bucket}", ex);
        }
    }

    public async Task<bool> WriteAsync(string sha256, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var key = KeyOf(sha256);
        var digest = SHA256.HashData(data.Span);
        if (!Convert.ToHexStringLower(digest).Equals(sha256, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"the {data.Length} bytes given for blob {sha256} hash to {Convert.ToHexStringLower(digest)}; nothing was stored");
        }
        if (await ExistsAsync(sha256, cancellationToken))
        {
            return false;
        }
        using var body = AsStream(data);
        var request = new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = key,
            InputStream = body,
            AutoCloseStream = false,
            ContentType = "application/octet-stream",
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
            ChecksumSHA256 = Convert.ToBase64String(digest),
            // One plain body: servers such as s3rver store an aws-chunked body as is instead of decoding it.
            UseChunkEncoding = false,
        };
        try
        {
            await _client.PutObjectAsync(request, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BadDigest" or "InvalidDigest" or "XAmzContentSHA256Mismatch")
        {
            S3BlobLog.UploadRejected(_logger, sha256, ex.ErrorCode);
            throw new InvalidDataException($"the server rejected blob {sha256}: the bytes it received do not match their checksum ({ex.ErrorCode})", ex);
        }
        catch (Exception ex) when (IsRemoteFailure(ex))
        {
            throw Failure($"PUT of {key}", ex);
        }
    }

    public async Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken)
    {
        var key = KeyOf(sha256);
        try
        {
            await _client.GetObjectMetadataAsync(_options.Bucket, key, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception ex) when (IsRemoteFailure(ex))
        {
            throw Failure($"HEAD of {key}", ex);
        }
    }

    public async Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken)
    {
        var key = KeyOf(sha256);
        try
        {
            var response = await _client.GetObjectAsync(_options.Bucket, key, cancellationToken);
            return new S3ReadStream(this, key, response);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception ex) when (IsRemoteFailure(ex))
        {
            throw Failure($"GET of {key}", ex);
        }
    }

    public async Task<bool> DeleteAsync(string sha256, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(sha256, cancellationToken))
        {
            return false;
        }
        var key = KeyOf(sha256);
        try
        {
            await _client.DeleteObjectAsync(_options.Bucket, key, cancellationToken);
            return true;
        }
        catch (Exception ex) when (IsRemoteFailure(ex))
        {
            throw Failure($"DELETE of {key}", ex);
        }
    }

    public async IAsyncEnumerable<string> EnumerateBlobsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = KeyPrefix, MaxKeys = ListPageSize };
        while (true)
        {
            ListObjectsV2Response page;
            try
            {
                page = await _client.ListObjectsV2Async(request, cancellationToken);
            }
            catch (Exception ex) when (IsRemoteFailure(ex))
            {
                throw Failure($"listing of {KeyPrefix}", ex);
            }
            foreach (var entry in page.S3Objects ?? [])
            {
                if (NameOf(entry.Key) is { } name)
                {
                    yield return name;
                }
            }
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
            {
                yield break;
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>Nothing to do: a blob is one single PUT, complete or absent (no multipart uploads to abort).</summary>
    public Task<int> DeleteUnfinishedWritesAsync(CancellationToken cancellationToken) => Task.FromResult(0);

    public async Task<string?> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.HeadBucketAsync(new HeadBucketRequest { BucketName = _options.Bucket }, cancellationToken);
            return null;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return $"bucket {_options.Bucket} at {_options.Endpoint} does not exist";
        }
        catch (Exception ex) when (IsRemoteFailure(ex))
        {
            return $"bucket {_options.Bucket} at {_options.Endpoint} did not answer: {ex.Message}";
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>A ranged GET of <paramref name="key"/> from <paramref name="start"/> to the end, for <see cref="S3ReadStream"/>.</summary>
    internal async Task<GetObjectResponse> GetRangeAsync(string key, long start, long length, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = _options.Bucket,
                Key = key,
                ByteRange = new ByteRange(start, length - 1),
            }, cancellationToken);
        }
        catch (Exception ex) when (IsRemoteFailure(ex))
        {
            throw Failure($"ranged GET of {key} from byte {start}", ex);
        }
    }

    /// <summary>The key of a blob. Only a validated SHA-256 hex string ever becomes a key.</summary>
    internal static string KeyOf(string sha256) => Ids.IsSha256Hex(sha256)
        ? $"{KeyPrefix}{sha256[..2]}/{sha256}"
        : throw new ArgumentException($"'{sha256}' is not a lower-case hex SHA-256", nameof(sha256));

    /// <summary>The blob name of <paramref name="key"/>; null for an object that is not a blob ("blobs/ab/ab…").</summary>
    internal static string? NameOf(string key)
    {
        var name = key.Length == KeyPrefix.Length + 3 + 64 ? key[(KeyPrefix.Length + 3)..] : "";
        return Ids.IsSha256Hex(name) && key == KeyOf(name) ? name : null;
    }

    private static AmazonS3Client CreateClient(S3BlobOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            // A checksum goes out only where we give one (SHA-256, in a header), never as an aws-chunked trailer.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        return options.AccessKey is { } accessKey
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, options.SecretKey), config)
            : new AmazonS3Client(config);
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);

    private static bool IsRemoteFailure(Exception exception) =>
        exception is AmazonServiceException or AmazonClientException or HttpRequestException or IOException;

    private IOException Failure(string what, Exception exception) =>
        new($"S3 {what} in bucket {_options.Bucket} at {_options.Endpoint} failed: {exception.Message}", exception);
}

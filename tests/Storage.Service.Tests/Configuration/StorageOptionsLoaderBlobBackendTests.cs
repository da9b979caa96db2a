using Storage.Service.Configuration;

namespace Storage.Service.Tests.Configuration;

public sealed class StorageOptionsLoaderBlobBackendTests
{
    private const string Root = "/srv/storage";

    [Fact]
    public void Load_NoBlobBackend_FileSystemWithoutS3()
    {
        var options = StorageOptionsLoader.Load(Config(("Storage:S3:Bucket", "ignored")), Root);

        Assert.Equal(BlobBackend.FileSystem, options.BlobBackend);
        Assert.Null(options.S3);
    }

    [Fact]
    public void Load_S3WithServiceUrl_PathStyleByDefaultAndKeysKept()
    {
        var options = StorageOptionsLoader.Load(Config(
            ("Storage:BlobBackend", "s3"),
            ("Storage:S3:ServiceUrl", "http://minio:9000"),
            ("Storage:S3:Bucket", "pipeline-images"),
            ("Storage:S3:AccessKey", "AKIDEXAMPLE"),
            ("Storage:S3:SecretKey", "wJalrXUtnFEMI/K7MDENG")), Root);

        Assert.Equal(BlobBackend.S3, options.BlobBackend);
        Assert.Equal(new S3BlobOptions
        {
            Bucket = "pipeline-images",
            ServiceUrl = new Uri("http://minio:9000"),
            Region = "us-east-1",
            ForcePathStyle = true,
            AccessKey = "AKIDEXAMPLE",
            SecretKey = "wJalrXUtnFEMI/K7MDENG",
        }, options.S3);
    }

    [Fact]
    public void Load_S3WithoutServiceUrl_AwsRegionVirtualHostedAndDefaultCredentialChain()
    {
        var options = StorageOptionsLoader.Load(Config(
            ("Storage:BlobBackend", "S3"),
            ("Storage:S3:Bucket", "pipeline-images"),
            ("Storage:S3:Region", "eu-west-3")), Root);

        var s3 = options.S3!;
        Assert.Null(s3.ServiceUrl);
        Assert.Equal("eu-west-3", s3.Region);
        Assert.False(s3.ForcePathStyle);
        Assert.Null(s3.AccessKey);
        Assert.Null(s3.SecretKey);
        Assert.Equal("AWS eu-west-3", s3.Endpoint);
    }

    [Fact]
    public void Load_S3ForcePathStyleFalse_KeptWithServiceUrl()
    {
        var options = StorageOptionsLoader.Load(Config(
            ("Storage:BlobBackend", "S3"),
            ("Storage:S3:ServiceUrl", "https://s3.example.net"),
            ("Storage:S3:Bucket", "images"),
            ("Storage:S3:ForcePathStyle", "false")), Root);

        Assert.False(options.S3!.ForcePathStyle);
    }

    [Fact]
    public void Load_S3EverythingWrong_EveryErrorReportedWithoutTheSecret()
    {
        var error = Assert.Throws<StorageConfigurationException>(() => StorageOptionsLoader.Load(Config(
            ("Storage:BlobBackend", "S3"),
            ("Storage:S3:ServiceUrl", "ftp://files.example.net"),
            ("Storage:S3:Region", "EU West"),
            ("Storage:S3:SecretKey", "very-secret-value")), Root));

        Assert.Equal(4, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.StartsWith("'Storage:BlobBackend' is S3 but 'Storage:S3:Bucket' is empty", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("'Storage:S3:ServiceUrl' is 'ftp://files.example.net'; give an absolute http:// or https:// URL", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("'Storage:S3:Region' is 'EU West'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("'Storage:S3:SecretKey' is set but 'Storage:S3:AccessKey' is not; set both", StringComparison.Ordinal));
        Assert.DoesNotContain("very-secret-value", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Images")]
    [InlineData("-images")]
    [InlineData("my..images")]
    [InlineData("images_2")]
    public void Load_S3BucketNameInvalid_RejectedWithTheRule(string bucket)
    {
        var error = Assert.Throws<StorageConfigurationException>(() => StorageOptionsLoader.Load(Config(
            ("Storage:BlobBackend", "S3"),
            ("Storage:S3:Bucket", bucket)), Root));

        Assert.Equal($"'Storage:S3:Bucket' is '{bucket}'; a bucket name has 3 to 63 lower-case letters, digits, dots and hyphens, and starts and ends with a letter or digit.",
            Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_UnknownBlobBackend_RejectedListingTheAllowedOnes()
    {
        var error = Assert.Throws<StorageConfigurationException>(() => StorageOptionsLoader.Load(Config(("Storage:BlobBackend", "Azure")), Root));

        Assert.Equal("'Storage:BlobBackend' is 'Azure'; allowed: FileSystem, S3 (default FileSystem).", Assert.Single(error.Errors));
    }

    [Fact]
    public void ToString_S3WithKeys_ShowsNeitherKey()
    {
        var options = new StorageOptions
        {
            BlobRoot = "/b",
            DatabasePath = "/d",
            BlobBackend = BlobBackend.S3,
            S3 = new S3BlobOptions { Bucket = "images", AccessKey = "AKIDEXAMPLE", SecretKey = "very-secret-value" },
        };

        var text = options.ToString();

        Assert.Contains("Credentials = configured keys", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIDEXAMPLE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-value", text, StringComparison.Ordinal);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}

using Storage.Service.Configuration;

namespace Storage.Service.Tests.Configuration;

public sealed class StorageOptionsLoaderTests
{
    private const string Root = "/srv/storage";

    [Fact]
    public void Load_EmptySection_DefaultsUnderContentRoot()
    {
        var options = StorageOptionsLoader.Load(Config(), Root);

        Assert.Equal(Path.Combine(Root, "data", "blobs"), options.BlobRoot);
        Assert.Equal(Path.Combine(Root, "data", "storage.db"), options.DatabasePath);
        Assert.Equal(50 * 1024 * 1024, options.MaxImageBytes);
        Assert.Equal((100, 16_384), (options.ImageLimits.MaxMegapixels, options.ImageLimits.MaxSide));
        Assert.Equal(MetadataBackend.Sqlite, options.MetadataBackend);
        Assert.False(options.Export.Enabled);
        Assert.Equal(FaultInjectionOptions.None, options.FaultInjection);
        Assert.Equal(51 * 1024 * 1024, options.GrpcMaxReceiveMessageSize);
    }

    [Fact]
    public void Load_ExplicitPaths_ResolvedAgainstContentRoot()
    {
        var options = StorageOptionsLoader.Load(Config(
            ("Storage:BlobRoot", "b"),
            ("Storage:DatabasePath", "/var/lib/meta.db"),
            ("Storage:MaxImageBytes", "2048"),
            ("Storage:ImageLimits:MaxMegapixels", "25"),
            ("Storage:ImageLimits:MaxSide", "8192"),
            ("Storage:Export:Enabled", "true"),
            ("Storage:Export:Root", "exports")), Root);

        Assert.Equal(Path.Combine(Root, "b"), options.BlobRoot);
        Assert.Equal("/var/lib/meta.db", options.DatabasePath);
        Assert.Equal(2048, options.MaxImageBytes);
        Assert.Equal((25, 8192), (options.ImageLimits.MaxMegapixels, options.ImageLimits.MaxSide));
        Assert.Equal(new ExportOptions(true, Path.Combine(Root, "exports")), options.Export);
    }

    [Fact]
    public void Load_SeveralErrors_ReportsEveryOneWithItsFix()
    {
        var error = Assert.Throws<StorageConfigurationException>(() => StorageOptionsLoader.Load(Config(
            ("Storage:MaxImageBytes", "10"),
            ("Storage:MetadataBackend", "Oracle"),
            ("Storage:ImageLimits:MaxSide", "8"),
            ("Storage:Export:Enabled", "true"),
            ("Storage:FaultInjection:PauseAfterTempWrite", "01:00:00")), Root));

        Assert.Equal(5, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.Contains("'Storage:ImageLimits:MaxSide' is 8; allowed: 16 to 65535", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("'Storage:MaxImageBytes' is 10; allowed: 1024", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("'Storage:MetadataBackend' is 'Oracle'; allowed: Sqlite", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("'Storage:Export:Root' is empty", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("PauseAfterTempWrite", StringComparison.Ordinal));
        Assert.All(error.Errors, e => Assert.Contains(e, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ExportInsideBlobRoot_Rejected()
    {
        var error = Assert.Throws<StorageConfigurationException>(() => StorageOptionsLoader.Load(Config(
            ("Storage:BlobRoot", "/data/blobs"),
            ("Storage:Export:Enabled", "true"),
            ("Storage:Export:Root", "/data/blobs/export")), Root));

        Assert.Contains("inside 'Storage:BlobRoot'", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnparsableNumber_ReportedNotThrownRaw()
    {
        var error = Assert.Throws<StorageConfigurationException>(() => StorageOptionsLoader.Load(Config(("Storage:MaxImageBytes", "fifty")), Root));

        Assert.Contains("'Storage' could not be read", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PostgresWithConnectionString_PostgresOptionsThatNeverPrintThePassword()
    {
        const string ConnectionString = "Host=db;Port=5432;Database=pipeline;Username=pipeline;Password=s3cret";

        var options = StorageOptionsLoader.Load(Config(
            ("Storage:MetadataBackend", "postgres"),
            ("ConnectionStrings:pipeline-db", ConnectionString)), Root);

        Assert.Equal(MetadataBackend.Postgres, options.MetadataBackend);
        Assert.Equal(ConnectionString, options.Postgres?.ConnectionString);
        Assert.DoesNotContain("s3cret", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SqliteWithConnectionString_NoPostgresOptions()
    {
        var options = StorageOptionsLoader.Load(Config(("ConnectionStrings:pipeline-db", "Host=db")), Root);

        Assert.Equal(MetadataBackend.Sqlite, options.MetadataBackend);
        Assert.Null(options.Postgres);
    }

    [Fact]
    public void Load_PostgresWithoutConnectionString_ErrorNamesTheKeyAndItsEnvironmentVariable()
    {
        var error = Assert.Throws<StorageConfigurationException>(() => StorageOptionsLoader.Load(Config(("Storage:MetadataBackend", "Postgres")), Root));

        var message = Assert.Single(error.Errors);
        Assert.Contains("'ConnectionStrings:pipeline-db' is empty", message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__pipeline-db", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PostgresWithMalformedConnectionString_ErrorWithoutAnyOfItsText()
    {
        var error = Assert.Throws<StorageConfigurationException>(() => StorageOptionsLoader.Load(Config(
            ("Storage:MetadataBackend", "Postgres"),
            ("ConnectionStrings:pipeline-db", "Host=db;Password=ab;cd_secret=1")), Root));

        var message = Assert.Single(error.Errors);
        Assert.Contains("'ConnectionStrings:pipeline-db' is not a valid PostgreSQL connection string", message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("Sqlite,Postgres")]
    public void Load_MetadataBackendNotANamedBackend_Rejected(string value)
    {
        var error = Assert.Throws<StorageConfigurationException>(() => StorageOptionsLoader.Load(Config(("Storage:MetadataBackend", value)), Root));

        Assert.Contains("allowed: Sqlite, Postgres", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}

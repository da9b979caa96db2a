namespace Pipeline.Providers.Tests;

public sealed class ProviderOptionsValidatorTests
{
    private static readonly ProviderDefaults Defaults = new("testprovider", new Uri("https://api.example.com/v1"), "TESTPROVIDER_API_KEY");

    [Fact]
    public void Load_EmptySection_DocumentedDefaults()
    {
        var options = Load([]);

        Assert.Equal(new Uri("https://api.example.com/v1"), options.BaseUrl);
        Assert.Null(options.ApiKey);
        Assert.Equal((16, 64), (options.MaxConcurrentCalls, options.QueueLimit));
        Assert.Equal((2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)), (options.Retry.MaxRetries, options.Retry.BaseDelay, options.Retry.MaxDelay));
        Assert.Equal((50L * 1024 * 1024, TimeSpan.FromSeconds(30), false), (options.Download.MaxBytes, options.Download.Timeout, options.Download.AllowPrivateNetworks));
        Assert.Equal((100, 16_384), (options.Download.Dimensions.MaxMegapixels, options.Download.Dimensions.MaxSide));
        Assert.Empty(options.Models);
        Assert.Empty(options.Headers);
    }

    [Fact]
    public void Load_ModelsAndHeaders_BoundFromConfiguration()
    {
        var options = Load(new()
        {
            ["P:Headers:HTTP-Referer"] = "https://example.com",
            ["P:Models:0:Id"] = "gpt-image-1",
            ["P:Models:0:Operations:0"] = "generate",
            ["P:Models:0:Sizes:0"] = "1024x1024",
            ["P:Models:0:MaxN"] = "10",
            ["P:Models:0:Prices:0:Size"] = "1024x1024",
            ["P:Models:0:Prices:0:Quality"] = "high",
            ["P:Models:0:Prices:0:UsdPerImage"] = "0.167",
            ["P:Models:0:OutputUsdPerMillionTokens"] = "40",
        });

        var model = Assert.Single(options.Models);
        Assert.Equal(("gpt-image-1", 10, 40m), (model.Id, model.MaxN, model.OutputUsdPerMillionTokens));
        Assert.Equal(new PriceDefinition { Size = "1024x1024", Quality = "high", UsdPerImage = 0.167m }, Assert.Single(model.Prices));
        Assert.Equal("https://example.com", options.Headers["HTTP-Referer"]);
    }

    [Fact]
    public void Load_TokenPricesAndHostModels_BoundFromConfiguration()
    {
        var options = Load(new()
        {
            ["P:Models:0:Id"] = "gpt-image-1",
            ["P:Models:0:Operations:0"] = "edit",
            ["P:Models:0:CachedInputUsdPerMillionTokens"] = "1.25",
            ["P:Models:0:ImageInputUsdPerMillionTokens"] = "10",
            ["P:Models:0:CachedImageInputUsdPerMillionTokens"] = "2.5",
            ["P:Models:0:TextOutputUsdPerMillionTokens"] = "10",
            ["P:HostModels:0:Id"] = "gpt-4.1",
            ["P:HostModels:0:InputUsdPerMillionTokens"] = "2",
            ["P:HostModels:0:CachedInputUsdPerMillionTokens"] = "0.5",
            ["P:HostModels:0:OutputUsdPerMillionTokens"] = "8",
        });

        var model = Assert.Single(options.Models);
        Assert.Equal((1.25m, 10m, 2.5m, 10m),
            (model.CachedInputUsdPerMillionTokens, model.ImageInputUsdPerMillionTokens, model.CachedImageInputUsdPerMillionTokens, model.TextOutputUsdPerMillionTokens));
        Assert.Equal(new HostModelPrice { Id = "gpt-4.1", InputUsdPerMillionTokens = 2m, CachedInputUsdPerMillionTokens = 0.5m, OutputUsdPerMillionTokens = 8m },
            Assert.Single(options.HostModels));
    }

    [Fact]
    public void Load_HostModelWithoutIdOrWithANegativePrice_BothReported()
    {
        var error = Assert.Throws<ProviderConfigurationException>(() => Load(new()
        {
            ["P:HostModels:0:InputUsdPerMillionTokens"] = "1",
            ["P:HostModels:1:Id"] = "gpt-4.1",
            ["P:HostModels:1:OutputUsdPerMillionTokens"] = "-8",
        }));

        Assert.Contains(error.Errors, e => e.Contains("'P:HostModels:0' has no Id", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("'P:HostModels:1' (gpt-4.1) has a negative token price", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_EveryProblem_ReportedAtOnce()
    {
        var error = Assert.Throws<ProviderConfigurationException>(() => Load(new()
        {
            ["P:BaseUrl"] = "api/v1",
            ["P:MaxConcurrentCalls"] = "0",
            ["P:QueueLimit"] = "-1",
            ["P:Retry:MaxRetries"] = "11",
            ["P:Retry:BaseDelay"] = "00:00:00",
            ["P:Retry:MaxDelay"] = "00:20:00",
            ["P:Download:MaxBytes"] = "10",
            ["P:Download:Timeout"] = "00:00:00",
            ["P:Download:Dimensions:MaxMegapixels"] = "0",
            ["P:Download:Dimensions:MaxSide"] = "100000",
            ["P:Headers:Bad Name"] = "x",
            ["P:Headers:Authorization"] = "Bearer x",
            ["P:Models:0:Operations:0"] = "paint",
            ["P:Models:0:Sizes:0"] = "big",
            ["P:Models:0:OutputFormats:0"] = "gif",
            ["P:Models:0:MaxN"] = "0",
            ["P:Models:0:Prices:0:UsdPerImage"] = "-1",
            ["P:Models:1:Id"] = "m",
            ["P:Models:1:Operations:0"] = "chat",
            ["P:Models:2:Id"] = "m",
            ["P:Models:2:Operations:0"] = "chat",
        }));

        string[] expected =
        [
            "'P:BaseUrl'", "'P:MaxConcurrentCalls'", "'P:QueueLimit'", "'P:Retry:MaxRetries'", "'P:Retry:BaseDelay'", "'P:Retry:MaxDelay'",
            "'P:Download:MaxBytes'", "'P:Download:Timeout'", "'P:Download:Dimensions:MaxMegapixels' is 0", "'P:Download:Dimensions:MaxSide' is 100000", "'Bad Name'", "must not set Authorization", "'P:Models:0' has no Id",
            "operation 'paint'", "size 'big'", "output format 'gif'", "MaxN 0", "UsdPerImage -1", "repeats the model 'm'",
        ];
        Assert.Equal(expected.Length, error.Errors.Count);
        foreach (var part in expected)
        {
            Assert.Contains(error.Errors, e => e.Contains(part, StringComparison.Ordinal));
        }
        Assert.All(error.Errors, e => Assert.Contains(e, error.Message));
    }

    [Fact]
    public void Load_UnreadableValue_ReportedWithTheSection()
    {
        var error = Assert.Throws<ProviderConfigurationException>(() => Load(new() { ["P:MaxConcurrentCalls"] = "many" }));

        Assert.Contains("'P' could not be read", Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_KeyInSection_WinsOverVariableAndFile()
    {
        var options = Load(new() { ["P:ApiKey"] = "from-section", ["TESTPROVIDER_API_KEY"] = "from-variable", ["P:ApiKeyFile"] = "/nonexistent" });

        Assert.Equal("from-section", options.ApiKey);
    }

    [Fact]
    public void Load_NoKeyInSection_VariableWinsOverFile()
    {
        var options = Load(new() { ["TESTPROVIDER_API_KEY"] = " from-variable ", ["P:ApiKeyFile"] = "/nonexistent" });

        Assert.Equal("from-variable", options.ApiKey);
    }

    [Fact]
    public void Load_KeyFileRelativeToContentRoot_ReadTrimmed()
    {
        var root = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(root.FullName, "key.txt"), "\n from-file \n");

            var options = ProviderOptionsValidator.Load(Configuration(new() { ["P:ApiKeyFile"] = "key.txt" }), "P", Defaults, root.FullName);

            Assert.Equal("from-file", options.ApiKey);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_KeyFileMissingOrEmpty_Reported()
    {
        var missing = Assert.Throws<ProviderConfigurationException>(() => Load(new() { ["P:ApiKeyFile"] = "/nonexistent/key" }));
        var empty = Path.GetTempFileName();
        try
        {
            var blank = Assert.Throws<ProviderConfigurationException>(() => Load(new() { ["P:ApiKeyFile"] = empty }));

            Assert.Contains("cannot be read", Assert.Single(missing.Errors));
            Assert.Contains("is empty", Assert.Single(blank.Errors));
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Fact]
    public void ToString_HidesTheKey()
    {
        var options = Load(new() { ["P:ApiKey"] = "sk-secret-value" });

        Assert.DoesNotContain("sk-secret-value", options.ToString());
        Assert.Contains("ApiKey = ***", options.ToString());
    }

    private static ProviderOptions Load(Dictionary<string, string?> values) =>
        ProviderOptionsValidator.Load(Configuration(values), "P", Defaults, AppContext.BaseDirectory);

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}

using System.Security.Cryptography;
using System.Text;
using Gateway.Configuration;
using Gateway.Proxy;

namespace Gateway.Tests.Configuration;

public sealed class GatewayOptionsLoaderTests
{
    private static readonly Dictionary<string, string?> s_discovery = new()
    {
        ["services:router:grpc:0"] = "http://127.0.0.1:6001",
        ["services:router:http:0"] = "http://127.0.0.1:6000",
        ["services:storage:http:0"] = "http://127.0.0.1:6010",
    };

    [Fact]
    public void Load_PlainAndHashedKeys_OnlyDigestsKept()
    {
        var hash = Convert.ToHexString(SHA256.HashData("second"u8));
        var options = Load(new() { ["Gateway:ApiKeys:0"] = "first-key", ["Gateway:ApiKeyHashes:0"] = hash });

        Assert.Equal([SHA256.HashData(Encoding.UTF8.GetBytes("first-key")), SHA256.HashData("second"u8)], options.ApiKeyHashes);
        Assert.DoesNotContain("first-key", options.ToString());
    }

    [Fact]
    public void Load_Defaults_AsDocumented()
    {
        var options = Load(new() { ["Gateway:ApiKeys:0"] = "k" });

        Assert.Equal((120, TimeSpan.FromMinutes(1), 4, 20, 64L * 1024 * 1024, TimeSpan.FromMinutes(10)),
            (options.RequestsPerWindow, options.Window, options.ConcurrentStreams, options.FailedAuthenticationsPerMinute, options.MaxRequestBodyBytes, options.GenerationTimeout));
    }

    [Fact]
    public void Load_Destinations_AreServiceDiscoveryNamesResolvedPerRequest()
    {
        var options = Load(new() { ["Gateway:ApiKeys:0"] = "k" });

        var clusters = ProxyConfigFactory.Clusters(options).ToDictionary(c => c.ClusterId, c => c.Destinations!.Values.Single().Address);

        Assert.Equal("http://_grpc.router/", clusters[ProxyConfigFactory.RouterGrpcCluster]);
        Assert.Equal("http://_http.router/", clusters[ProxyConfigFactory.RouterHttpCluster]);
        Assert.Equal("http://_http.storage/", clusters[ProxyConfigFactory.StorageHttpCluster]);
        Assert.DoesNotContain(clusters.Values, address => address.Contains("127.0.0.1"));
        var grpc = ProxyConfigFactory.Clusters(options).Single(c => c.ClusterId == ProxyConfigFactory.RouterGrpcCluster).HttpRequest!;
        Assert.Equal((new Version(2, 0), HttpVersionPolicy.RequestVersionExact), (grpc.Version, grpc.VersionPolicy));
    }

    [Fact]
    public void Load_EverythingWrong_EveryErrorListedWithItsFix()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:ApiKeyHashes:0"] = "abc",
            ["Gateway:RateLimits:RequestsPerWindow"] = "0",
            ["Gateway:RateLimits:ConcurrentStreams"] = "-1",
            ["Gateway:RateLimits:FailedAuthenticationsPerMinute"] = "0",
            ["Gateway:Limits:MaxRequestBodyBytes"] = "10",
        }).Build();

        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayOptionsLoader.Load(configuration));

        Assert.Equal(8, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.Contains("Gateway:ApiKeyHashes:0") && e.Contains("sha256sum"));
        Assert.Contains(error.Errors, e => e.Contains("Gateway:RateLimits:RequestsPerWindow"));
        Assert.Contains(error.Errors, e => e.Contains("Gateway:RateLimits:ConcurrentStreams"));
        Assert.Contains(error.Errors, e => e.Contains("Gateway:RateLimits:FailedAuthenticationsPerMinute"));
        Assert.Contains(error.Errors, e => e.Contains("Gateway:Limits:MaxRequestBodyBytes"));
        Assert.Contains(error.Errors, e => e.Contains("services__router__grpc__0"));
        Assert.Contains(error.Errors, e => e.Contains("services__router__http__0"));
        Assert.Contains(error.Errors, e => e.Contains("services__storage__http__0"));
    }

    [Fact]
    public void Load_NoKeyAtAll_SaysHowToSetOne()
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => Load([]));

        Assert.Contains("Gateway:ApiKeys:0", Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_OneDiscoveryEntryMissing_OnlyThatOneReported()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            s_discovery.Where(e => e.Key != "services:storage:http:0").Append(new("Gateway:ApiKeys:0", "k"))).Build();

        var error = Assert.Throws<GatewayConfigurationException>(() => GatewayOptionsLoader.Load(configuration));

        Assert.Contains("services__storage__http__0", Assert.Single(error.Errors));
    }

    private static GatewayOptions Load(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(s_discovery.Concat(settings)).Build();
        return GatewayOptionsLoader.Load(configuration);
    }
}

using System.Security.Cryptography;
using System.Text;
using Gateway.Configuration;
using Gateway.Proxy;
using Pipeline.ServiceDefaults.Security;

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

        Assert.Equal([SHA256.HashData(Encoding.UTF8.GetBytes("first-key")), SHA256.HashData("second"u8)], options.Keys.Select(k => k.Sha256));
        Assert.All(options.Keys, k => Assert.Equal((Caller.Default, 120, 4), (k.Caller, k.RequestsPerWindow, k.ConcurrentStreams)));
        Assert.DoesNotContain("first-key", options.ToString());
    }

    [Fact]
    public void Load_TenantKeys_CallerAndOwnLimitsElseTheGlobalOnes()
    {
        var hash = Convert.ToHexString(SHA256.HashData("alpha-key"u8));
        var options = Load(new()
        {
            ["Gateway:RateLimits:RequestsPerWindow"] = "50",
            ["Gateway:Keys:0:Sha256"] = hash,
            ["Gateway:Keys:0:Tenant"] = "alpha",
            ["Gateway:Keys:1:Key"] = "ops-key",
            ["Gateway:Keys:1:Tenant"] = "ops",
            ["Gateway:Keys:1:Role"] = "admin",
            ["Gateway:Keys:1:RequestsPerWindow"] = "7",
            ["Gateway:Keys:1:ConcurrentStreams"] = "2",
            ["Gateway:Keys:1:MonthlyBudgetUsd"] = "25.5",
            ["Gateway:Keys:1:FleetProviderKeys"] = "false",
        });

        Assert.Equal(
            [
                (SHA256.HashData("alpha-key"u8), new Caller("alpha"), 50, 4),
                (SHA256.HashData("ops-key"u8), new Caller("ops", CallerRole.Admin, false, 25_500_000), 7, 2),
            ],
            options.Keys.Select(k => (k.Sha256, k.Caller, k.RequestsPerWindow, k.ConcurrentStreams)));
        Assert.DoesNotContain("ops-key", options.ToString());
    }

    [Fact]
    public void Load_BadTenantKeys_EveryErrorListed()
    {
        var hash = Convert.ToHexString(SHA256.HashData("same"u8));
        var error = Assert.Throws<GatewayConfigurationException>(() => Load(new()
        {
            ["Gateway:Keys:0:Tenant"] = "alpha",
            ["Gateway:Keys:1:Key"] = "k1",
            ["Gateway:Keys:1:Sha256"] = hash,
            ["Gateway:Keys:1:Tenant"] = "Alpha!",
            ["Gateway:Keys:2:Key"] = "k2",
            ["Gateway:Keys:2:Role"] = "owner",
            ["Gateway:Keys:2:Tenant"] = "beta",
            ["Gateway:Keys:2:MonthlyBudgetUsd"] = "0",
            ["Gateway:Keys:2:ConcurrentStreams"] = "0",
            ["Gateway:Keys:3:Sha256"] = hash,
            ["Gateway:Keys:3:Tenant"] = "gamma",
            ["Gateway:ApiKeys:0"] = "same",
        }));

        Assert.Equal(7, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.Contains("'Gateway:Keys:0'") && e.Contains("neither"));
        Assert.Contains(error.Errors, e => e.Contains("'Gateway:Keys:1'") && e.Contains("both"));
        Assert.Contains(error.Errors, e => e.Contains("'Gateway:Keys:1:Tenant'") && e.Contains("[a-z0-9_-]"));
        Assert.Contains(error.Errors, e => e.Contains("'Gateway:Keys:2:Role'") && e.Contains("member, admin"));
        Assert.Contains(error.Errors, e => e.Contains("'Gateway:Keys:2:MonthlyBudgetUsd'"));
        Assert.Contains(error.Errors, e => e.Contains("'Gateway:Keys:2:ConcurrentStreams'"));
        Assert.Contains(error.Errors, e => e.Contains("'Gateway:Keys:3', 'Gateway:ApiKeys:0' are the same key"));
        Assert.DoesNotContain(error.Errors, e => e.Contains("k1") || e.Contains("k2"));
    }

    [Fact]
    public void Load_Defaults_AsDocumented()
    {
        var options = Load(new() { ["Gateway:ApiKeys:0"] = "k" });

        Assert.Equal((120, TimeSpan.FromMinutes(1), 4, 20, 64L * 1024 * 1024, TimeSpan.FromMinutes(10)),
            (options.RequestsPerWindow, options.Window, options.ConcurrentStreams, options.FailedAuthenticationsPerMinute, options.MaxRequestBodyBytes, options.GenerationTimeout));
        Assert.Equal(RateLimitStore.Memory, options.RateLimitStore);
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
    public void Load_PostgresLimitStoreWithItsDatabase_SharedStore()
    {
        var options = Load(new() { ["Gateway:ApiKeys:0"] = "k", ["Gateway:RateLimits:Store"] = "postgres", ["ConnectionStrings:pipeline-db"] = "Host=db" });

        Assert.Equal(RateLimitStore.Postgres, options.RateLimitStore);
    }

    [Theory]
    [InlineData("Postgres", null, "'Gateway:RateLimits:Store' is Postgres but 'ConnectionStrings:pipeline-db' is empty")]
    [InlineData("Redis", "Host=db", "'Gateway:RateLimits:Store' is 'Redis'; allowed: Memory, Postgres")]
    public void Load_BadLimitStore_SaysWhatToSet(string store, string? connectionString, string expected)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() =>
            Load(new() { ["Gateway:ApiKeys:0"] = "k", ["Gateway:RateLimits:Store"] = store, ["ConnectionStrings:pipeline-db"] = connectionString }));

        Assert.Contains(error.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_NoKeyAtAll_SaysHowToSetOne()
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => Load([]));

        var message = Assert.Single(error.Errors);
        Assert.Contains("Gateway:Keys:0:Sha256", message);
        Assert.Contains("Gateway:ApiKeys:0", message);
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

namespace Gateway.Tests.TestSupport;

/// <summary>
/// What a gateway test talks to: a real Storage.Service, the fake router (storing its images there) and the gateway
/// pointed at both through service discovery. One per test; disposing stops all three and checks their logs.
/// </summary>
internal sealed class GatewayEnvironment : IAsyncDisposable
{
    /// <summary>The development key the gateway is given as <c>Gateway:ApiKeys:0</c> (hashed at its start-up).</summary>
    public const string ApiKey = "pk-test-0123456789abcdefghijklmnopqrstuv";

    /// <summary>A second key, given only as its SHA-256 in <c>Gateway:ApiKeyHashes:0</c>.</summary>
    public const string HashedApiKey = "pk-test-hashed-key-zyxwvutsrqponmlkjihgfedcba";

    private readonly IReadOnlyDictionary<string, string?> _configuration;
    private readonly List<GatewayHost> _replicas = [];

    private GatewayEnvironment(StorageBackend storage, FakeRouter router, GatewayHost gateway, IReadOnlyDictionary<string, string?> configuration)
    {
        Storage = storage;
        Router = router;
        Gateway = gateway;
        _configuration = configuration;
    }

    public StorageBackend Storage { get; }

    public FakeRouter Router { get; }

    public GatewayHost Gateway { get; }

    /// <param name="settings">Gateway configuration on top of the two test keys (rate limits, size limits, …).</param>
    /// <param name="environment">The gateway's host environment (Production by default).</param>
    /// <param name="time">The gateway's clock; the system clock by default.</param>
    public static async Task<GatewayEnvironment> StartAsync(IDictionary<string, string?>? settings = null, string environment = "Production", TimeProvider? time = null)
    {
        var storage = await StorageBackend.StartAsync();
        var router = await FakeRouter.StartAsync(storage);
        var configuration = new Dictionary<string, string?>
        {
            ["Gateway:ApiKeys:0"] = ApiKey,
            ["Gateway:ApiKeyHashes:0"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(HashedApiKey))),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        var gateway = await GatewayHost.StartAsync(router.Discovery.Concat(storage.Discovery), configuration, environment, time);
        return new GatewayEnvironment(storage, router, gateway, configuration);
    }

    /// <summary>Another gateway in front of the same router and storage, configured as the first (a replica).</summary>
    public async Task<GatewayHost> StartReplicaAsync()
    {
        var replica = await GatewayHost.StartAsync(Router.Discovery.Concat(Storage.Discovery), _configuration);
        _replicas.Add(replica);
        return replica;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
        await Gateway.DisposeAsync();
        await Router.DisposeAsync();
        await Storage.DisposeAsync();
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Tests.TestSupport;
using Grpc.Core;
using Grpc.Net.Client;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.ServiceDefaults.Security;

namespace Gateway.Tests.Proxy;

/// <summary>
/// Every call the gateway makes for a client carries the authenticated key's caller (tenant, role, …), whatever
/// x-pipeline-* headers the client sent: over gRPC, /api/*, the OpenAI routes and storage's /images/{id}.
/// </summary>
public sealed class CallerHeadersTests : IAsyncLifetime
{
    private const string BetaKey = "pk-test-beta-0123456789abcdefghijklmnop";
    private const string AdminKey = "pk-test-ops-0123456789abcdefghijklmnopq";

    private static readonly Caller s_beta = new("beta", CallerRole.Member, FleetProviderKeys: false, MonthlyBudgetUsdMicros: 12_500_000);

    private static readonly (string Name, string Value)[] s_spoofed =
    [
        (Caller.TenantHeader, "alpha"),
        (Caller.RoleHeader, "admin"),
        (Caller.FleetProviderKeysHeader, "allow"),
        ("x-pipeline-anything", "x"),
    ];

    private GatewayEnvironment _env = null!;

    public async ValueTask InitializeAsync() => _env = await GatewayEnvironment.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:Keys:0:Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(BetaKey))),
        ["Gateway:Keys:0:Tenant"] = "beta",
        ["Gateway:Keys:0:FleetProviderKeys"] = "false",
        ["Gateway:Keys:0:MonthlyBudgetUsd"] = "12.5",
        ["Gateway:Keys:1:Key"] = AdminKey,
        ["Gateway:Keys:1:Tenant"] = "ops",
        ["Gateway:Keys:1:Role"] = "admin",
    });

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task Grpc_SpoofedCallerHeaders_RouterSeesTheKeysTenant()
    {
        using var channel = GrpcChannel.ForAddress(_env.Gateway.GrpcAddress);
        var client = new ImageGeneration.ImageGenerationClient(channel);
        var headers = new Metadata { { "authorization", "Bearer " + BetaKey } };
        foreach (var (name, value) in s_spoofed)
        {
            headers.Add(name, value);
        }

        using var call = client.Generate(new GenerateRequest { Prompt = "a fox", Config = "gpt-image-1" }, headers, DateTime.UtcNow + TestTimeouts.Default);
        await foreach (var _ in call.ResponseStream.ReadAllAsync(TestTimeouts.Token()))
        {
        }
        await client.ListConfigsAsync(new ListConfigsRequest(), headers, DateTime.UtcNow + TestTimeouts.Default).ResponseAsync.DefaultTimeout();

        Assert.Equal(["grpc Generate", "grpc ListConfigs"], _env.Router.Calls.All.Select(c => c.Name));
        Assert.All(_env.Router.Calls.All, AssertBeta);
    }

    [Fact]
    public async Task Api_SpoofedCallerHeaders_RouterSeesTheKeysTenant()
    {
        using var client = Client(BetaKey);

        using var configs = await client.GetAsync("/api/configs").DefaultTimeout();
        using var generated = await client.PostAsJsonAsync("/api/generate", new { prompt = "a fox", config = "gpt-image-1" }).DefaultTimeout();
        await generated.Content.ReadAsStringAsync().DefaultTimeout();

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (configs.StatusCode, generated.StatusCode));
        Assert.Equal(["GET /api/configs", "POST /api/generate"], _env.Router.Calls.All.Select(c => c.Name));
        Assert.All(_env.Router.Calls.All, AssertBeta);
    }

    [Fact]
    public async Task OpenAIRoutes_SpoofedCallerHeaders_RouterSeesTheKeysTenant()
    {
        using var client = Client(BetaKey);

        using var models = await client.GetAsync("/v1/models").DefaultTimeout();
        using var generated = await client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a fox", model = "gpt-image-1" }).DefaultTimeout();
        var edit = new Multipart().Text("prompt", "a fox").Text("model", "gpt-image-1_edit").File("image", "in.png", TestImages.Png(16, 16, new SkiaSharp.SKColor(1, 2, 3)));
        using var edited = await client.PostAsync("/v1/images/edits", edit.Content).DefaultTimeout();

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (models.StatusCode, generated.StatusCode, edited.StatusCode));
        Assert.Equal(["grpc ListConfigs", "grpc Generate", "grpc Generate"], _env.Router.Calls.All.Select(c => c.Name));
        Assert.All(_env.Router.Calls.All, AssertBeta);
    }

    [Fact]
    public async Task Images_SpoofedCallerHeaders_StorageSeesTheKeysTenant()
    {
        using var client = Client(BetaKey);
        using var generated = await client.PostAsJsonAsync("/v1/images/generations", new { prompt = "a fox", model = "gpt-image-1", response_format = "url" }).DefaultTimeout();
        var url = (await generated.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("data")[0].GetProperty("url").GetString()!;

        using var image = await client.GetAsync(url).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        AssertBeta(Assert.Single(_env.Storage.HttpCalls));
    }

    [Fact]
    public async Task Api_AdminKey_RouterSeesAnAdminOfItsTenant()
    {
        using var client = _env.Gateway.CreateClient(AdminKey);

        using var runs = await client.GetAsync("/api/runs").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        Assert.Equal(new Caller("ops", CallerRole.Admin), Assert.Single(_env.Router.Calls.All).Caller);
    }

    [Fact]
    public async Task Api_LegacyKey_RouterSeesTheDefaultTenant()
    {
        using var client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
        client.DefaultRequestHeaders.Add(Caller.TenantHeader, "beta");

        using var runs = await client.GetAsync("/api/runs").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        Assert.Equal(Caller.Default, Assert.Single(_env.Router.Calls.All).Caller);
    }

    private HttpClient Client(string key)
    {
        var client = _env.Gateway.CreateClient(key);
        foreach (var (name, value) in s_spoofed)
        {
            client.DefaultRequestHeaders.Add(name, value);
        }
        return client;
    }

    private static void AssertBeta(RecordedCall call)
    {
        Assert.Equal(s_beta, call.Caller);
        Assert.Equal(["x-pipeline-fleet-provider-keys", "x-pipeline-monthly-budget-usd-micros", "x-pipeline-role", "x-pipeline-tenant"],
            call.Headers.Keys.Where(k => k.StartsWith("x-pipeline-", StringComparison.Ordinal) && k != InternalSecret.HeaderName).Order(StringComparer.Ordinal));
        Assert.Equal("deny", call.Headers[Caller.FleetProviderKeysHeader]);
    }
}

using System.Net;
using AppHost.Tests.Fleet;
using Aspire.Hosting.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Pipeline.Contracts.ImageGen.V1;

namespace AppHost.Tests.Security;

/// <summary>
/// In the started fleet every service gets the same internal secret; a call straight to an internal service without it
/// is refused, while the same call through the gateway (its typed client and YARP's routes) works.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class InternalSecretFleetTests(FleetFixture fleet)
{
    private const string SecretVariable = "Pipeline__InternalSecret";
    private const string SecretHeader = "x-pipeline-internal";

    [Fact]
    public async Task Fleet_EveryServiceGetsOneSecret_EmulatorNone()
    {
        var ct = TestContext.Current.CancellationToken;
        var secrets = new List<string>();
        foreach (var service in new[] { "storage", "openai", "openrouter", "router", "gateway" })
        {
            var env = await ProcessProbe.EnvironmentAsync(fleet.ServiceProcessId(service), ct).DefaultTimeout();
            Assert.True(env.TryGetValue(SecretVariable, out var secret) && !string.IsNullOrWhiteSpace(secret), $"{service} has no {SecretVariable}");
            secrets.Add(secret!);
        }
        var emulator = await ProcessProbe.EnvironmentAsync(fleet.ServiceProcessId("emulator"), ct).DefaultTimeout();

        Assert.Single(secrets.Distinct());
        Assert.False(emulator.ContainsKey(SecretVariable));
        Assert.Contains(fleet.App.GetEndpoint("emulator", "http").Host, new[] { "localhost", "127.0.0.1" });
    }

    [Fact]
    public async Task RouterGrpc_DirectCallWithoutSecret_UnauthenticatedAndWithItServed()
    {
        var ct = TestContext.Current.CancellationToken;
        var secret = await SecretAsync(ct);
        using var channel = GrpcChannel.ForAddress(fleet.App.GetEndpoint("router", "grpc"));
        var router = new ImageGeneration.ImageGenerationClient(channel);

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            router.ListConfigsAsync(new ListConfigsRequest(), deadline: DateTime.UtcNow + TestTimeouts.Default, cancellationToken: ct).ResponseAsync.DefaultTimeout());
        var served = await router.ListConfigsAsync(new ListConfigsRequest(), new Metadata { { SecretHeader, secret } },
            DateTime.UtcNow + TestTimeouts.Default, ct).ResponseAsync.DefaultTimeout();

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.NotEmpty(served.Configs);
    }

    [Fact]
    public async Task InternalHttp_DirectCallWithoutSecret_401()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var (service, path) in new[] { ("router", "/api/configs"), ("storage", "/runs/any-run") })
        {
            using var http = new HttpClient { BaseAddress = fleet.App.GetEndpoint(service, "http"), Timeout = TestTimeouts.Default };
            using var response = await http.GetAsync(path, ct).DefaultTimeout();
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{service}{path}: {(int)response.StatusCode}");
            using var health = await http.GetAsync("/health", ct).DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    [Fact]
    public async Task Gateway_EveryPathToTheRouterCarriesTheSecret()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = fleet.CreateGatewayClient();

        // YARP to the router's HTTP API, the gateway's typed gRPC client (OpenAI models), YARP to the router's gRPC.
        using var configs = await http.GetAsync("/api/configs", ct).DefaultTimeout();
        using var models = await http.GetAsync("/v1/models", ct).DefaultTimeout();
        using var channel = GrpcChannel.ForAddress(fleet.App.GetEndpoint("gateway", "grpc"));
        var grpc = await new ImageGeneration.ImageGenerationClient(channel).ListConfigsAsync(new ListConfigsRequest(),
            new Metadata { { "authorization", "Bearer " + FleetFixture.ApiKey } }, DateTime.UtcNow + TestTimeouts.Default, ct).ResponseAsync.DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, configs.StatusCode);
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        Assert.NotEmpty(grpc.Configs);
    }

    [Fact]
    public async Task Gateway_CallerSendsAWrongSecretHeader_ReplacedNotForwarded()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = fleet.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/configs");
        request.Headers.Add(SecretHeader, "guessed-secret");

        using var response = await http.SendAsync(request, ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Telemetry_AfterInternalCalls_NoSpanCarriesTheSecret()
    {
        var ct = TestContext.Current.CancellationToken;
        var secret = await SecretAsync(ct);
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using (var http = fleet.CreateGatewayClient())
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/configs");
            request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");
            using var configs = await http.SendAsync(request, ct).DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, configs.StatusCode);
        }
        using var telemetry = new DashboardTelemetry(fleet.Dashboard, TestTimeouts.Default);
        // The internal call (gateway → router, secret attached) has reached the dashboard before the scan.
        await telemetry.WaitForTraceAsync(traceId, t => t.Any(span => span.Service == "gateway") && t.Any(span => span.Service == "router"), ct);

        var spans = await telemetry.RecentSpansAsync(1000, ct);

        Assert.NotEmpty(spans);
        Assert.DoesNotContain(spans, s => s.Raw.GetRawText().Contains(secret, StringComparison.Ordinal));
    }

    private async Task<string> SecretAsync(CancellationToken ct)
    {
        var env = await ProcessProbe.EnvironmentAsync(fleet.ServiceProcessId("gateway"), ct).DefaultTimeout();
        return env[SecretVariable];
    }
}

using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;
using StorageClient = Pipeline.Contracts.Storage.V1.Storage.StorageClient;

using ServiceDefaults.Tests.TestSupport;

namespace ServiceDefaults.Tests.Security;

/// <summary>
/// Every internal service, started as its own process with <c>Pipeline__InternalSecret</c> set (as the AppHost does),
/// refuses a gRPC call without the secret as UNAUTHENTICATED and an HTTP request as 401 ProblemDetails, serves the same
/// call with it, and keeps its health endpoints (HTTP and <c>grpc.health.v1</c>) open.
/// </summary>
public sealed class InternalSecretServiceTests
{
    private const string Secret = "internal-secret-for-tests-7f3a9c";

    private static readonly Dictionary<string, string> Environment = new() { [InternalSecret.EnvironmentVariable] = Secret };

    [Fact]
    public async Task Router_SecretConfigured_RefusesCallsWithoutItServesCallsWithIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var router = await ServiceProcess.StartAsync("Router.Service", Environment, ct);
        using var channel = GrpcChannel.ForAddress(router.GrpcAddress);
        var client = new ImageGeneration.ImageGenerationClient(channel);

        await AssertRefusedAsync(h => client.ListConfigsAsync(new ListConfigsRequest(), h, Deadline(), ct).ResponseAsync);
        var configs = await client.ListConfigsAsync(new ListConfigsRequest(), WithSecret(), Deadline(), ct).ResponseAsync.WaitAsync(Timeout, ct);
        Assert.NotEmpty(configs.Configs);

        await AssertHttpRefusedAndServedAsync(router, "/api/configs", HttpStatusCode.OK, ct);
        await AssertHealthOpenAsync(router, channel, ct);
    }

    [Fact]
    public async Task Storage_SecretConfigured_RefusesCallsWithoutItServesCallsWithIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storage = await ServiceProcess.StartAsync("Storage.Service", Environment, ct);
        using var channel = GrpcChannel.ForAddress(storage.GrpcAddress);
        var client = new StorageClient(channel);

        await AssertRefusedAsync(h => client.ListRunsAsync(new Pipeline.Contracts.Storage.V1.ListRunsRequest(), h, Deadline(), ct).ResponseAsync);
        await AssertRefusedAsync(h => client.DeleteRunAsync(new DeleteRunRequest { RunId = "secret-run" }, h, Deadline(), ct).ResponseAsync);
        var stored = await client.UpsertRunAsync(new RunRecord { RunId = "secret-run", Config = "x_test", Prompt = "a lighthouse" },
            WithSecret(), Deadline(), ct).ResponseAsync.WaitAsync(Timeout, ct);
        Assert.Equal("secret-run", stored.RunId);
        var runs = await client.ListRunsAsync(new Pipeline.Contracts.Storage.V1.ListRunsRequest(), WithSecret(), Deadline(), ct).ResponseAsync.WaitAsync(Timeout, ct);
        Assert.Contains(runs.Runs, r => r.RunId == "secret-run");

        await AssertHttpRefusedAndServedAsync(storage, "/runs/secret-run", HttpStatusCode.OK, ct);
        await AssertHealthOpenAsync(storage, channel, ct);
    }

    [Theory]
    [InlineData("OpenAI.Adapter")]
    [InlineData("OpenRouter.Adapter")]
    public async Task Adapter_SecretConfigured_RefusesCallsWithoutItServesCallsWithIt(string service)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var adapter = await ServiceProcess.StartAsync(service, Environment, ct);
        using var channel = GrpcChannel.ForAddress(adapter.GrpcAddress);
        var client = new ProviderAdapter.ProviderAdapterClient(channel);

        await AssertRefusedAsync(h => client.ListModelsAsync(new ListModelsRequest(), h, Deadline(), ct).ResponseAsync);
        var models = await client.ListModelsAsync(new ListModelsRequest(), WithSecret(), Deadline(), ct).ResponseAsync.WaitAsync(Timeout, ct);
        Assert.NotNull(models);
        await AssertRefusedAsync(h => ReadAllAsync(client.Generate(new ProviderRequest(), h, Deadline(), ct), ct));

        await AssertHealthOpenAsync(adapter, channel, ct);
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static DateTime Deadline() => DateTime.UtcNow + Timeout;

    private static Metadata WithSecret() => new() { { InternalSecret.HeaderName, Secret } };

    /// <summary>The call without the header, and with a wrong value, fails as UNAUTHENTICATED.</summary>
    private static async Task AssertRefusedAsync(Func<Metadata, Task> call)
    {
        foreach (var headers in new[] { new Metadata(), new Metadata { { InternalSecret.HeaderName, Secret + "x" } } })
        {
            var ex = await Assert.ThrowsAsync<RpcException>(() => call(headers).WaitAsync(Timeout, TestContext.Current.CancellationToken));
            Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
            Assert.DoesNotContain(Secret, ex.Status.Detail, StringComparison.Ordinal);
        }
    }

    private static async Task ReadAllAsync<T>(AsyncServerStreamingCall<T> call, CancellationToken ct)
    {
        using (call)
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync(ct))
            {
            }
        }
    }

    private static async Task AssertHttpRefusedAndServedAsync(ServiceProcess service, string path, HttpStatusCode served, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = service.HttpAddress, Timeout = Timeout };

        using var refused = await http.GetAsync(path, ct).WaitAsync(Timeout, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("internal secret", await refused.Content.ReadAsStringAsync(ct).WaitAsync(Timeout, ct), StringComparison.Ordinal);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, path);
        wrong.Headers.Add(InternalSecret.HeaderName, "not-the-secret");
        using var wrongResponse = await http.SendAsync(wrong, ct).WaitAsync(Timeout, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(InternalSecret.HeaderName, Secret);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, ct).WaitAsync(Timeout, ct);
        Assert.Equal(served, response.StatusCode);
    }

    private static async Task AssertHealthOpenAsync(ServiceProcess service, GrpcChannel channel, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = service.HttpAddress, Timeout = Timeout };
        foreach (var path in new[] { "/health", "/alive" })
        {
            using var response = await http.GetAsync(path, ct).WaitAsync(Timeout, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: Deadline(), cancellationToken: ct)
            .ResponseAsync.WaitAsync(Timeout, ct);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }
}

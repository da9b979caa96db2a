using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Grpc;

/// <summary>Typed clients of other services, addressed by service discovery as the AppHost's WithReference sets it up.</summary>
public sealed class GrpcClientExtensionsTests
{
    [Fact]
    public async Task AddServiceGrpcClient_DiscoveryEntryForGrpcEndpoint_CallsThatService()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await GrpcTestHost.StartAsync(_ => { }, app => app.MapDefaultEndpoints(), ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        await using var provider = Caller(new()
        {
            ["services:probe:http:0"] = "http://127.0.0.1:9",   // another endpoint of the service: not the one gRPC uses
            ["services:probe:grpc:0"] = service.Address.ToString(),
        });

        var client = provider.GetRequiredService<Health.HealthClient>();
        var response = await client.CheckAsync(new HealthCheckRequest(), cancellationToken: ct).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task AddServiceGrpcClient_NoDiscoveryEntry_CallFailsNamingTheService()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var provider = Caller([]);

        var client = provider.GetRequiredService<Health.HealthClient>();
        var ex = await Assert.ThrowsAnyAsync<Exception>(() =>
            client.CheckAsync(new HealthCheckRequest(), cancellationToken: ct).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30), ct));

        Assert.Contains("probe", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddServiceGrpcClient_MessageLimit_AppliesToTheChannel()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await GrpcTestHost.StartAsync(_ => { }, app => app.MapDefaultEndpoints(), ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        await using var provider = Caller(new() { ["services:probe:grpc:0"] = service.Address.ToString() }, maxMessageBytes: 16);

        var client = provider.GetRequiredService<Health.HealthClient>();
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            client.CheckAsync(new HealthCheckRequest { Service = new string('x', 64) }, cancellationToken: ct).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30), ct));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    private static ServiceProvider Caller(Dictionary<string, string?> discovery, int maxMessageBytes = 1024 * 1024)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(discovery);
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        builder.AddServiceDefaults();
        builder.Services.AddServiceGrpcClient<Health.HealthClient>("probe", maxMessageBytes);
        return builder.Services.BuildServiceProvider();
    }
}

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

    [Fact]
    public async Task AddServiceGrpcClient_ThreeConnectionsPerService_CallsGoRoundThreeConnections()
    {
        var ct = TestContext.Current.CancellationToken;
        var connections = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var service = await GrpcTestHost.StartAsync(_ => { }, app =>
        {
            app.Use(next => context =>
            {
                connections.Enqueue(context.Connection.Id);
                return next(context);
            });
            app.MapDefaultEndpoints();
        }, ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        await using var provider = Caller(new()
        {
            ["services:probe:grpc:0"] = service.Address.ToString(),
            [Pipeline.ServiceDefaults.Http.ConnectionSpread.ConfigurationKey] = "3",
        });

        var client = provider.GetRequiredService<Health.HealthClient>();
        for (var i = 0; i < 6; i++)
        {
            await client.CheckAsync(new HealthCheckRequest(), cancellationToken: ct).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30), ct);
        }

        // A connection-balancing proxy in front of replicas would give each of these connections the next replica.
        var seen = connections.ToList();
        Assert.Equal(6, seen.Count);
        Assert.Equal(3, seen.Distinct().Count());
        Assert.Equal(seen.Take(3), seen.Skip(3));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("three")]
    public void ConnectionSpread_OutOfRange_FailsNamingTheKeyAndTheRange(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [Pipeline.ServiceDefaults.Http.ConnectionSpread.ConfigurationKey] = value,
        }).Build();

        var ex = Assert.Throws<InvalidOperationException>(() => Pipeline.ServiceDefaults.Http.ConnectionSpread.From(configuration));

        Assert.Contains("Pipeline:ConnectionsPerService", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1 to 16", ex.Message, StringComparison.Ordinal);
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

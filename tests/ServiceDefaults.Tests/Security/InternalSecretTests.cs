using Grpc.Core;
using Grpc.Reflection.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.ServiceDefaults.Security;
using ServiceDefaults.Tests.Grpc;

namespace ServiceDefaults.Tests.Security;

/// <summary>The internal secret in one process: the comparison, the typed clients that send it, who checks it and who does not.</summary>
public sealed class InternalSecretTests
{
    private const string Secret = "in-process-secret-5b1e";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Matches_OnlyTheExactSingleValue()
    {
        var secret = new InternalSecret(Secret);

        Assert.True(secret.Matches(Secret));
        Assert.False(secret.Matches(Secret.ToUpperInvariant()));
        Assert.False(secret.Matches(Secret + " "));
        Assert.False(secret.Matches(""));
        Assert.False(secret.Matches(default(Microsoft.Extensions.Primitives.StringValues)));
        Assert.False(secret.Matches(new Microsoft.Extensions.Primitives.StringValues([Secret, Secret])));
    }

    [Fact]
    public void Matches_NoSecretConfigured_NothingMatches()
    {
        var secret = new InternalSecret("  ");

        Assert.False(secret.IsConfigured);
        Assert.False(secret.Matches(""));
        Assert.False(secret.Matches("  "));
    }

    [Fact]
    public async Task AddServiceGrpcClient_SecretConfigured_CallCarriesItAndServiceServes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await StartAsync(Secret, frontDoor: false, ct);
        await using var caller = Caller(service, Secret);

        var services = await ListServicesAsync(caller.GetRequiredService<ServerReflection.ServerReflectionClient>(), ct).WaitAsync(Timeout, ct);

        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("another-fleet-secret")]
    public async Task Service_SecretConfigured_CallerWithoutTheSameSecretIsUnauthenticated(string? callerSecret)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await StartAsync(Secret, frontDoor: false, ct);
        await using var caller = Caller(service, callerSecret);

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            ListServicesAsync(caller.GetRequiredService<ServerReflection.ServerReflectionClient>(), ct).WaitAsync(Timeout, ct));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task Service_NoSecretConfigured_AcceptsCallsWithoutItAndWarnsOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var logs = new CapturedLogs();
        await using var service = await StartAsync(null, frontDoor: false, ct, logs);
        await using var caller = Caller(service, null);

        var services = await ListServicesAsync(caller.GetRequiredService<ServerReflection.ServerReflectionClient>(), ct).WaitAsync(Timeout, ct);
        await ListServicesAsync(caller.GetRequiredService<ServerReflection.ServerReflectionClient>(), ct).WaitAsync(Timeout, ct);

        Assert.NotEmpty(services);
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Pipeline:InternalSecret is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FrontDoor_SecretConfigured_OwnCallsAreNotChecked()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = await StartAsync(Secret, frontDoor: true, ct);
        await using var caller = Caller(gateway, null);

        var services = await ListServicesAsync(caller.GetRequiredService<ServerReflection.ServerReflectionClient>(), ct).WaitAsync(Timeout, ct);

        Assert.NotEmpty(services);
    }

    [Fact]
    public async Task ProviderHttpClient_SecretConfigured_SendsNoSecret()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        builder.Configuration[InternalSecret.ConfigurationKey] = Secret;
        builder.AddServiceDefaults();
        var provider = new CapturingHandler();
        builder.Services.AddHttpClient("provider").ConfigurePrimaryHttpMessageHandler(() => provider);
        await using var services = builder.Services.BuildServiceProvider();

        using var http = services.GetRequiredService<IHttpClientFactory>().CreateClient("provider");
        using var response = await http.GetAsync("http://127.0.0.1:9/v1/models", ct).WaitAsync(Timeout, ct);

        Assert.NotNull(provider.Request);
        Assert.False(provider.Request.Headers.Contains(InternalSecret.HeaderName));
    }

    private static Task<GrpcTestHost> StartAsync(string? secret, bool frontDoor, CancellationToken ct, CapturedLogs? logs = null) =>
        GrpcTestHost.StartAsync(builder =>
        {
            if (secret is not null)
            {
                builder.Configuration[InternalSecret.ConfigurationKey] = secret;
            }
            if (frontDoor)
            {
                builder.Services.AddPublicFrontDoor();
            }
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
            }
        }, app => app.MapDefaultEndpoints(), ct).WaitAsync(Timeout, ct);

    /// <summary>Another service of the fleet: a typed client registered the way every service registers its clients.</summary>
    private static ServiceProvider Caller(GrpcTestHost service, string? secret)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
            ["services:probe:grpc:0"] = service.Address.ToString(),
            [InternalSecret.ConfigurationKey] = secret,
        });
        builder.AddServiceDefaults();
        builder.Services.AddServiceGrpcClient<ServerReflection.ServerReflectionClient>("probe", 1024 * 1024);
        return builder.Services.BuildServiceProvider();
    }

    private static async Task<List<string>> ListServicesAsync(ServerReflection.ServerReflectionClient client, CancellationToken ct)
    {
        using var call = client.ServerReflectionInfo(deadline: DateTime.UtcNow + Timeout, cancellationToken: ct);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, ct);
        await call.RequestStream.CompleteAsync();
        var services = new List<string>();
        await foreach (var response in call.ResponseStream.ReadAllAsync(ct))
        {
            services.AddRange(response.ListServicesResponse.Service.Select(s => s.Name));
        }
        return services;
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}

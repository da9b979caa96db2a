using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Grpc;

/// <summary>A service with the service defaults on Kestrel (h2c, loopback, port 0), as every Pipeline service runs.</summary>
internal sealed class GrpcTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestHost(WebApplication app, Uri address) => (_app, Address) = (app, address);

    /// <summary>The h2c address.</summary>
    public Uri Address { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _app.Services;

    public static async Task<GrpcTestHost> StartAsync(Action<WebApplicationBuilder> configure, Action<WebApplication> map, CancellationToken cancellationToken)
    {
        // An empty content root: the test's output folder holds the services' appsettings.json with their fixed ports.
        var contentRoot = Directory.CreateTempSubdirectory("grpc-test-host-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = contentRoot });
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        builder.AddServiceDefaults();
        configure(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new GrpcTestHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

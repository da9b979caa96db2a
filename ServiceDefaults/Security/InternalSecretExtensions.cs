using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Pipeline.ServiceDefaults.Security;

namespace Microsoft.Extensions.Hosting;

/// <summary>The fleet's internal secret: registration, the server check and the marker of a public front door.</summary>
public static class InternalSecretExtensions
{
    /// <summary>Registers the <see cref="InternalSecret"/> read from <c>Pipeline:InternalSecret</c> (unset: none).</summary>
    public static IServiceCollection AddInternalSecret(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => InternalSecret.From(sp.GetRequiredService<IConfiguration>()));
        return services;
    }

    /// <summary>
    /// Marks this service as a public front door (the gateway): its own requests are not checked for the internal secret
    /// (it has its own authentication), while its internal clients still send it.
    /// </summary>
    public static IServiceCollection AddPublicFrontDoor(this IServiceCollection services)
    {
        services.TryAddSingleton<PublicFrontDoor>();
        return services;
    }

    /// <summary>
    /// Requires the internal secret on every request except <paramref name="openPaths"/> (the health endpoints) and
    /// <c>grpc.health.v1.Health</c>, when one is configured. With none configured, or on a public front door, adds no
    /// check and logs a warning once.
    /// </summary>
    public static WebApplication UseInternalSecret(this WebApplication app, params string[] openPaths)
    {
        var secret = app.Services.GetService<InternalSecret>() ?? InternalSecret.From(app.Configuration);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InternalSecret).FullName!);
        var frontDoor = app.Services.GetService<PublicFrontDoor>() is not null;
        if (!secret.IsConfigured)
        {
            if (frontDoor)
            {
                InternalSecretLog.FrontDoorNotConfigured(logger);
            }
            else
            {
                InternalSecretLog.NotConfigured(logger);
            }
            return app;
        }
        if (!frontDoor)
        {
            app.Use(next => new InternalSecretMiddleware(next, secret, openPaths, logger).InvokeAsync);
        }
        return app;
    }
}

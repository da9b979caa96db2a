using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AppHost;

/// <summary>The lines the AppHost prints once its resources exist: gateway URLs, dashboard login, API key, data folder.</summary>
public sealed partial class StartupBanner
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    /// <summary>Adds <paramref name="line"/> to the banner of <paramref name="builder"/>'s application.</summary>
    public static void Add(IDistributedApplicationBuilder builder, string line) => Of(builder)._lines.Add(line);

    /// <summary>The banner registered with <paramref name="builder"/> (created on first use).</summary>
    public static StartupBanner Of(IDistributedApplicationBuilder builder)
    {
        if (builder.Services.FirstOrDefault(d => d.ServiceType == typeof(StartupBanner))?.ImplementationInstance is StartupBanner banner)
        {
            return banner;
        }
        banner = new StartupBanner();
        builder.Services.AddSingleton(banner);
        return banner;
    }

    /// <summary>Logs every line, after the endpoint URLs of the resources marked <see cref="StablePortsAnnotation"/> and the dashboard's login URL.</summary>
    internal void Print(DistributedApplicationModel model, IConfiguration configuration, ILogger logger)
    {
        foreach (var resource in model.Resources.Where(r => r.HasAnnotationOfType<StablePortsAnnotation>()).OfType<IResourceWithEndpoints>())
        {
            foreach (var endpoint in resource.GetEndpoints().Where(e => e.IsAllocated))
            {
                Line(logger, $"{resource.Name} {endpoint.EndpointName}: {endpoint.Url}");
            }
        }
        if (model.Resources.Any(r => r.Name == "aspire-dashboard") && configuration["ASPNETCORE_URLS"]?.Split(';')[0] is { Length: > 0 } dashboard)
        {
            Line(logger, configuration["AppHost:BrowserToken"] is { Length: > 0 } token
                ? $"dashboard: {dashboard.TrimEnd('/')}/login?t={token}"
                : $"dashboard: {dashboard}");
        }
        foreach (var line in _lines)
        {
            Line(logger, line);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "{Line}")]
    private static partial void Line(ILogger logger, string line);
}

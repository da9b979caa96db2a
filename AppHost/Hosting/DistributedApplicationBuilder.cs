using System.Reflection;
using AppHost.Hosting.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AppHost.Hosting;

/// <summary>Declares the application model: resources, their endpoints, references and waits.</summary>
public sealed class DistributedApplicationBuilder
{
    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--gateway-http-port"] = "Gateway:HttpPort",
        ["--gateway-grpc-port"] = "Gateway:GrpcPort",
        ["--otlp-endpoint"] = "AppHost:OtlpEndpoint",
        ["--dashboard-port"] = "Dashboard:HttpPort",
        ["--environment"] = "AppHost:Environment",
    };

    internal DistributedApplicationBuilder(string[] args)
    {
        Configuration = new ConfigurationManager();
        Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        Configuration.AddEnvironmentVariables();
        Configuration.AddCommandLine(args, SwitchMappings);
        Options = new DistributedApplicationOptions
        {
            RepoRoot = Configuration["AppHost:RepoRoot"] ?? ProjectFiles.FindRepoRoot(AppContext.BaseDirectory),
            BuildConfiguration = Configuration["AppHost:Configuration"]
                ?? typeof(DistributedApplicationBuilder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value!,
            EnvironmentName = Configuration["AppHost:Environment"] ?? "Development",
            OtlpEndpoint = NullIfEmpty(Configuration["AppHost:OtlpEndpoint"] ?? Configuration["PIPELINE_OTLP_ENDPOINT"]),
            OtlpProtocol = Configuration["AppHost:OtlpProtocol"] ?? "grpc",
            DisableDashboard = string.Equals(Configuration["AppHost:DisableDashboard"], "true", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>appsettings.json next to the AppHost, environment variables, then the command line (<c>--gateway-http-port</c>, <c>--otlp-endpoint</c>, …).</summary>
    public ConfigurationManager Configuration { get; }

    public DistributedApplicationOptions Options { get; }

    public List<ProjectResource> Resources { get; } = [];

    /// <summary>The dashboard resource once <c>AddDashboard()</c> added it: services export to it and the AppHost pushes to it.</summary>
    public ProjectResource? Dashboard { get; internal set; }

    /// <summary>Lines printed once when the application starts (e.g. the development API key).</summary>
    public List<string> StartupMessages { get; } = [];

    /// <summary>
    /// Adds the project in <c>{repoRoot}/{projectDirectory}</c>, run from its build output; its endpoints come from the
    /// <c>Kestrel:Endpoints</c> of its appsettings.json (else one <c>http</c> endpoint via <c>ASPNETCORE_URLS</c>).
    /// </summary>
    public IResourceBuilder<ProjectResource> AddProject(string name, string projectDirectory)
    {
        if (Resources.Any(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{name}' already exists.");
        }
        var resource = new ProjectResource(name, projectDirectory);
        var (endpoints, fromKestrel) = ProjectFiles.ReadEndpoints(Path.Combine(Options.RepoRoot, projectDirectory));
        resource.Endpoints.AddRange(endpoints);
        resource.UsesKestrelEndpoints = fromKestrel;
        Resources.Add(resource);
        return new ResourceBuilder<ProjectResource>(resource, this);
    }

    public DistributedApplication Build()
    {
        if (DistributedApplication.Interceptor.Value is { } interceptor)
        {
            // The testing builder ran Program.cs to collect its model: hand the builder over and stop Program here.
            interceptor.Captured = this;
            throw new HostAbortedException("The testing builder captured the application model.");
        }
        return new DistributedApplication(this);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

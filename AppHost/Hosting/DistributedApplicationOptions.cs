namespace AppHost.Hosting;

/// <summary>How the AppHost runs its model; bound from configuration by <see cref="DistributedApplication.CreateBuilder"/>.</summary>
public sealed class DistributedApplicationOptions
{
    /// <summary>The repository root (the folder holding Pipeline.sln or .git); services live in its subfolders.</summary>
    public required string RepoRoot { get; set; }

    /// <summary>The build configuration whose outputs are started (default: the AppHost's own, e.g. Debug).</summary>
    public required string BuildConfiguration { get; set; }

    /// <summary><c>ASPNETCORE_ENVIRONMENT</c> / <c>DOTNET_ENVIRONMENT</c> given to every service. Default <c>Development</c>.</summary>
    public string EnvironmentName { get; set; } = "Development";

    /// <summary>
    /// An external OTLP endpoint (a real Aspire dashboard, Jaeger, a collector) exported to services as
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (<c>--otlp-endpoint</c> or <c>PIPELINE_OTLP_ENDPOINT</c>); then no dashboard is started.
    /// Null (default): services export to the dashboard when there is one, else not at all.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>: <c>grpc</c> (default) or <c>http/protobuf</c> (<c>AppHost:OtlpProtocol</c>); with the
    /// dashboard it also picks its endpoint (<c>otlp-grpc</c> or <c>otlp-http</c>).
    /// </summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>
    /// When true, <c>AddDashboard()</c> adds nothing and services export only to <see cref="OtlpEndpoint"/>, if set
    /// (<c>AppHost:DisableDashboard</c>). Default false; the testing builder sets true.
    /// </summary>
    public bool DisableDashboard { get; set; }

    /// <summary>When true every endpoint gets a free port, fixed ones too (what the testing builder sets). Default false.</summary>
    public bool RandomizePorts { get; set; }

    /// <summary>When false, child output is not echoed to the console (the testing builder keeps it in memory). Default true.</summary>
    public bool EchoConsole { get; set; } = true;

    /// <summary>How long a child gets after SIGTERM before its process tree is killed. Default 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

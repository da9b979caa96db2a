namespace AppHost.Hosting;

/// <summary>A .NET project run as its own process (<c>dotnet {dir}.dll</c>), with its endpoints and annotations.</summary>
public sealed class ProjectResource(string name, string projectDirectory)
{
    /// <summary>The resource name: service-discovery key, <c>OTEL_SERVICE_NAME</c>, console prefix.</summary>
    public string Name { get; } = name;

    /// <summary>The project folder under the repository root, e.g. <c>Router.Service</c>.</summary>
    public string ProjectDirectory { get; } = projectDirectory;

    /// <summary>True when the project's appsettings declare <c>Kestrel:Endpoints</c>; URLs then go to <c>Kestrel__Endpoints__{name}__Url</c>, otherwise to <c>ASPNETCORE_URLS</c>.</summary>
    public bool UsesKestrelEndpoints { get; internal set; }

    /// <summary><c>service.instance.id</c>: stable for the resource's life, across restarts.</summary>
    public string InstanceId { get; } = $"{name}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";

    public List<EndpointAnnotation> Endpoints { get; } = [];

    /// <summary>Variables set by <c>WithEnvironment</c>, evaluated at each start; applied last, so they win.</summary>
    public List<(string Name, Func<string> Value)> Environment { get; } = [];

    /// <summary>Resources whose endpoints are injected (<c>WithReference</c>).</summary>
    public List<ProjectResource> References { get; } = [];

    /// <summary>Resources that must be Running and Healthy before this one starts (<c>WaitFor</c>).</summary>
    public List<ProjectResource> WaitsFor { get; } = [];

    /// <summary>The HTTP health check, or null when the resource has none (then Running is enough for <c>WaitFor</c>).</summary>
    public HttpHealthCheckAnnotation? HealthCheck { get; internal set; }

    public EndpointAnnotation GetEndpointAnnotation(string endpointName) =>
        Endpoints.FirstOrDefault(e => e.Name == endpointName)
        ?? throw new InvalidOperationException($"Resource '{Name}' has no endpoint '{endpointName}'; it has: {string.Join(", ", Endpoints.Select(e => e.Name))}.");
}

/// <summary>
/// <c>GET {endpoint}{Path}</c> must answer <see cref="StatusCode"/>; a null status code accepts any HTTP answer
/// (for processes without a health endpoint).
/// </summary>
public sealed record HttpHealthCheckAnnotation(string Path, int? StatusCode, string EndpointName);

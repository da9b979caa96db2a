namespace AppHost.Hosting;

/// <summary>The Aspire-shaped declaration API: references, waits, environment, endpoints, health checks.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Injects <paramref name="source"/>'s endpoints as <c>services__{name}__…</c> and <c>{NAME}_{ENDPOINT}</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ProjectResource> source)
    {
        if (!builder.Resource.References.Contains(source.Resource))
        {
            builder.Resource.References.Add(source.Resource);
        }
        return builder;
    }

    /// <summary>Starts this resource only once <paramref name="dependency"/> is Running and, if it has a health check, Healthy.</summary>
    public static IResourceBuilder<ProjectResource> WaitFor(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ProjectResource> dependency)
    {
        if (!builder.Resource.WaitsFor.Contains(dependency.Resource))
        {
            builder.Resource.WaitsFor.Add(dependency.Resource);
        }
        return builder;
    }

    /// <summary>Sets an environment variable of the process.</summary>
    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, string name, string value)
    {
        builder.Resource.Environment.Add((name, () => value));
        return builder;
    }

    /// <summary>Sets an environment variable evaluated at start (e.g. containing another resource's URL).</summary>
    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, string name, ReferenceExpression value)
    {
        builder.Resource.Environment.Add((name, value.GetValue));
        return builder;
    }

    /// <summary>Adds (or updates) an HTTP endpoint; <paramref name="port"/> null means a free port at start.</summary>
    public static IResourceBuilder<ProjectResource> WithHttpEndpoint(this IResourceBuilder<ProjectResource> builder, int? port = null, string name = "http") =>
        builder.WithEndpoint(name, e => e.Port = port);

    /// <summary>Configures the endpoint <paramref name="name"/>, adding it when the project does not declare it.</summary>
    public static IResourceBuilder<ProjectResource> WithEndpoint(this IResourceBuilder<ProjectResource> builder, string name, Action<EndpointAnnotation> configure)
    {
        var endpoint = builder.Resource.Endpoints.FirstOrDefault(e => e.Name == name);
        if (endpoint is null)
        {
            endpoint = new EndpointAnnotation(name);
            builder.Resource.Endpoints.Add(endpoint);
        }
        configure(endpoint);
        return builder;
    }

    /// <summary>Marks the HTTP endpoints (and gRPC, transport http2) as meant for users; printed when the application starts.</summary>
    public static IResourceBuilder<ProjectResource> WithExternalHttpEndpoints(this IResourceBuilder<ProjectResource> builder)
    {
        foreach (var endpoint in builder.Resource.Endpoints.Where(e => e.UriScheme is "http" or "https"))
        {
            endpoint.IsExternal = true;
        }
        return builder;
    }

    /// <summary>Health = <c>GET {endpoint}{path}</c> answers <paramref name="statusCode"/> (null: any HTTP answer). Default <c>/</c>, 200, endpoint <c>http</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithHttpHealthCheck(
        this IResourceBuilder<ProjectResource> builder, string path = "/", int? statusCode = 200, string endpointName = "http")
    {
        builder.Resource.HealthCheck = new HttpHealthCheckAnnotation(path, statusCode, endpointName);
        return builder;
    }

    /// <summary>A late-bound reference to the endpoint <paramref name="name"/>.</summary>
    public static EndpointReference GetEndpoint(this IResourceBuilder<ProjectResource> builder, string name) => new(builder.Resource, name);
}

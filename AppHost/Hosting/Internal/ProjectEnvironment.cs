namespace AppHost.Hosting.Internal;

/// <summary>The environment a project process gets, following Aspire's run-mode variables (reference doc C.2).</summary>
internal static class ProjectEnvironment
{
    /// <summary>
    /// Builds the variables for <paramref name="resource"/>; ports must be allocated. Later entries win. With a
    /// <paramref name="dashboard"/>, services export to it (the dashboard itself gets no OTLP variables: it never exports).
    /// </summary>
    public static Dictionary<string, string> Build(ProjectResource resource, DistributedApplicationOptions options, ProjectResource? dashboard = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);

        if (resource.UsesKestrelEndpoints)
        {
            foreach (var endpoint in resource.Endpoints)
            {
                env[$"Kestrel__Endpoints__{endpoint.Name}__Url"] = endpoint.Url;
            }
        }
        else
        {
            env["ASPNETCORE_URLS"] = string.Join(';', resource.Endpoints.Select(e => e.Url));
        }

        foreach (var reference in resource.References)
        {
            AddServiceDiscovery(env, reference);
        }

        env["ASPNETCORE_ENVIRONMENT"] = options.EnvironmentName;
        env["DOTNET_ENVIRONMENT"] = options.EnvironmentName;
        env["OTEL_SERVICE_NAME"] = resource.Name;
        env["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={resource.InstanceId}";
        if (OtlpEndpoint(resource, options, dashboard) is { } otlpEndpoint)
        {
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint;
            env["OTEL_EXPORTER_OTLP_PROTOCOL"] = options.OtlpProtocol;
        }
        if (options.EnvironmentName == "Development")
        {
            env["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            env["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            env["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            env["OTEL_TRACES_SAMPLER"] = "always_on";
            env["OTEL_METRICS_EXEMPLAR_FILTER"] = "trace_based";
        }
        env["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory";
        env["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "true";
        env["LOGGING__CONSOLE__FORMATTERNAME"] = "simple";
        // Children may watch this PID and exit when the AppHost is gone (a SIGKILLed AppHost cannot stop them).
        env["PIPELINE_APPHOST_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        foreach (var (name, value) in resource.Environment)
        {
            env[name] = value();
        }
        return env;
    }

    /// <summary>The dashboard's OTLP endpoint for the protocol, else the external one, else none.</summary>
    private static string? OtlpEndpoint(ProjectResource resource, DistributedApplicationOptions options, ProjectResource? dashboard)
    {
        if (dashboard is null)
        {
            return string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? null : options.OtlpEndpoint;
        }
        if (resource == dashboard)
        {
            return null;
        }
        var endpoint = options.OtlpProtocol == "grpc" ? DashboardBuilderExtensions.OtlpGrpcEndpoint : DashboardBuilderExtensions.OtlpHttpEndpoint;
        return dashboard.GetEndpointAnnotation(endpoint).Url;
    }

    /// <summary>
    /// Both Aspire forms for every endpoint of <paramref name="reference"/>: by scheme with a per-scheme index
    /// (<c>services__router__http__1</c> since Aspire PR #14626) and by endpoint name (<c>services__router__grpc__0</c>),
    /// plus <c>ROUTER_GRPC</c>. The endpoint named like its scheme gets index 0, so both forms agree on that key.
    /// </summary>
    private static void AddServiceDiscovery(Dictionary<string, string> env, ProjectResource reference)
    {
        foreach (var byScheme in reference.Endpoints.GroupBy(e => e.UriScheme))
        {
            var index = 0;
            foreach (var endpoint in byScheme.OrderBy(e => e.Name == byScheme.Key ? 0 : 1))
            {
                env[$"services__{reference.Name}__{byScheme.Key}__{index++}"] = endpoint.Url;
            }
        }
        foreach (var endpoint in reference.Endpoints)
        {
            env[$"services__{reference.Name}__{endpoint.Name}__0"] = endpoint.Url;
            env[$"{EnvironmentName(reference.Name)}_{EnvironmentName(endpoint.Name)}"] = endpoint.Url;
        }
    }

    /// <summary>Upper-cased, every non-alphanumeric character replaced by '_'.</summary>
    internal static string EnvironmentName(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_'));
}

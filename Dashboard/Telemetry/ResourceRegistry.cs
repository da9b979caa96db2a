namespace Dashboard.Telemetry;

/// <summary>A resource's state as the AppHost reports it.</summary>
/// <remarks>
/// <c>Type</c>: project, apphost, …<br/>
/// <c>State</c>: Aspire's state names: NotStarted, Waiting, Starting, Running, Exited, FailedToStart, …<br/>
/// <c>Health</c>: Healthy, Degraded, Unhealthy, or null when the resource has no health check.<br/>
/// </remarks>
public sealed record ResourceState(
    string Name, string Type, string State, string? Health, int? Pid, int? ExitCode, int Restarts, IReadOnlyList<ResourceEndpoint> Endpoints);

/// <summary>A resource as the dashboard lists it: the AppHost's report (null for a service known only from telemetry) and the instances seen over OTLP.</summary>
public sealed record RegisteredResource(string Name, ResourceState? Reported, IReadOnlyList<string> Instances);

/// <summary>A named endpoint of a resource, e.g. <c>grpc</c> → <c>http://127.0.0.1:5321</c>.</summary>
public sealed record ResourceEndpoint(string Name, string Url);

/// <summary>
/// The resources the dashboard knows: those the AppHost reports (in the order first reported) and every
/// <c>service.name</c> seen over OTLP with its <c>service.instance.id</c>s.
/// </summary>
public sealed class ResourceRegistry
{
    private const int MaxInstancesPerService = 100;

    private readonly Lock _gate = new();
    private readonly List<string> _order = [];
    private readonly Dictionary<string, ResourceState> _reported = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _instances = new(StringComparer.Ordinal);

    /// <summary>Adds or replaces the AppHost's view of each resource.</summary>
    public void Report(IEnumerable<ResourceState> states)
    {
        lock (_gate)
        {
            foreach (var state in states)
            {
                if (!_reported.ContainsKey(state.Name))
                {
                    _order.Add(state.Name);
                }
                _reported[state.Name] = state;
            }
        }
    }

    /// <summary>Records that <paramref name="service"/> sent telemetry (from <paramref name="instanceId"/> when known).</summary>
    public void Seen(string service, string? instanceId)
    {
        lock (_gate)
        {
            if (!_instances.TryGetValue(service, out var instances))
            {
                _instances[service] = instances = new HashSet<string>(StringComparer.Ordinal);
            }
            if (instanceId is not null && instances.Count < MaxInstancesPerService)
            {
                instances.Add(instanceId);
            }
        }
    }

    /// <summary>AppHost resources in their order, then services known only from telemetry, by name.</summary>
    public IReadOnlyList<RegisteredResource> List()
    {
        lock (_gate)
        {
            var reported = _order.Select(name => new RegisteredResource(name, _reported[name], Instances(name)));
            var telemetryOnly = _instances.Keys.Where(name => !_reported.ContainsKey(name)).Order(StringComparer.Ordinal)
                .Select(name => new RegisteredResource(name, null, Instances(name)));
            return [.. reported.Concat(telemetryOnly)];
        }
    }

    private List<string> Instances(string name) =>
        _instances.TryGetValue(name, out var instances) ? [.. instances.Order(StringComparer.Ordinal)] : [];
}

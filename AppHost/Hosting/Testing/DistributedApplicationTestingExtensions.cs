namespace AppHost.Hosting.Testing;

/// <summary>Test helpers over a running <see cref="DistributedApplication"/>.</summary>
public static class DistributedApplicationTestingExtensions
{
    /// <summary>Waits until every resource with a health check is Running and Healthy (and the others Running).</summary>
    public static async Task WaitForAllHealthyAsync(this DistributedApplication app, CancellationToken cancellationToken)
    {
        var snapshots = await Task.WhenAll(app.Resources.Select(r => app.ResourceNotifications.WaitForResourceAsync(
            r.Name, s => s.IsReady(r.HealthCheck is not null) || s.State == KnownResourceStates.FailedToStart, cancellationToken)));
        var failed = snapshots.Where(s => s.State == KnownResourceStates.FailedToStart).Select(s => s.Name).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException(
                $"Failed to start: {string.Join(", ", failed)}.{Environment.NewLine}{string.Join(Environment.NewLine, app.GetConsoleLogs("apphost"))}");
        }
    }

    /// <summary>An HttpClient whose base address is the resource's endpoint (<c>http</c> by default).</summary>
    public static HttpClient CreateHttpClient(this DistributedApplication app, string resourceName, string endpointName = "http") =>
        new() { BaseAddress = app.GetEndpoint(resourceName, endpointName) };

    /// <summary>The PID of the resource's current process, or null when it has none.</summary>
    public static int? GetProcessId(this DistributedApplication app, string resourceName) =>
        app.ResourceNotifications.GetSnapshot(resourceName) is { State: KnownResourceStates.Running, ProcessId: { } pid } ? pid : null;
}

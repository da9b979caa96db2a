namespace AppHost.Hosting;

/// <summary>Resource states, named as in Aspire. Terminal: <see cref="Exited"/>, <see cref="Finished"/>, <see cref="FailedToStart"/>.</summary>
public static class KnownResourceStates
{
    public const string NotStarted = nameof(NotStarted);
    public const string Waiting = nameof(Waiting);
    public const string Starting = nameof(Starting);
    public const string Running = nameof(Running);
    public const string RuntimeUnhealthy = nameof(RuntimeUnhealthy);
    public const string FailedToStart = nameof(FailedToStart);
    public const string Stopping = nameof(Stopping);
    public const string Exited = nameof(Exited);
    public const string Finished = nameof(Finished);
}

/// <summary>Health as in Aspire; a resource without health checks reports null.</summary>
public enum HealthStatus
{
    Unhealthy,
    Degraded,
    Healthy,
}

/// <summary>What is known about a resource at one moment.</summary>
public sealed record ResourceSnapshot(string Name, string State, HealthStatus? Health, int? ProcessId, int? ExitCode, int RestartCount)
{
    /// <summary>Running, and Healthy when it has a health check: what <c>WaitFor</c> waits for.</summary>
    public bool IsReady(bool hasHealthCheck) => State == KnownResourceStates.Running && (!hasHealthCheck || Health == HealthStatus.Healthy);
}

using System.Diagnostics;

namespace AppHost.Hosting.Internal;

/// <summary>
/// Runs one resource: waits for its dependencies, starts its process, probes its health, restarts it with backoff when
/// it exits on its own, and stops it with SIGTERM-then-kill.
/// </summary>
internal sealed class ResourceRunner(
    ProjectResource resource, DistributedApplicationOptions options, ResourceNotificationService notifications, ConsoleOutput output, HttpClient http,
    ProjectResource? dashboard = null)
{
    private readonly Lock _gate = new();
    private Process? _process;
    private HealthStatus? _health;
    private int? _exitCode;
    private int _restarts;

    public ProjectResource Resource => resource;

    /// <summary>The live process, if any.</summary>
    public Process? Process
    {
        get
        {
            lock (_gate)
            {
                return _process;
            }
        }
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        Publish(KnownResourceStates.NotStarted);
        if (!await WaitForDashboardAsync(stopping) || !await WaitForDependenciesAsync(stopping))
        {
            return;
        }
        var dll = ProjectFiles.DllPath(options, resource.ProjectDirectory);
        if (!File.Exists(dll))
        {
            output.Event($"{resource.Name} failed to start: {dll} is missing (build it: dotnet build {resource.ProjectDirectory}).");
            Publish(KnownResourceStates.FailedToStart);
            return;
        }

        var attempt = 0;
        while (!stopping.IsCancellationRequested)
        {
            Publish(KnownResourceStates.Starting);
            Process process;
            try
            {
                process = Start(dll);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                output.Event($"{resource.Name} failed to start: {e.Message}");
                Publish(KnownResourceStates.FailedToStart);
                return;
            }
            var startedAt = Stopwatch.GetTimestamp();
            _health = resource.HealthCheck is null ? null : HealthStatus.Unhealthy;
            Publish(KnownResourceStates.Running);

            using (var probing = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                var probe = ProbeHealthAsync(probing.Token);
                await process.WaitForExitAsync(CancellationToken.None);
                await probing.CancelAsync();
                await probe;
            }
            lock (_gate)
            {
                _exitCode = process.ExitCode;
                _process = null;
            }
            process.Dispose();
            _health = resource.HealthCheck is null ? null : HealthStatus.Unhealthy;
            if (stopping.IsCancellationRequested)
            {
                Publish(KnownResourceStates.Exited);
                return;
            }

            attempt = Stopwatch.GetElapsedTime(startedAt) >= RestartBackoff.ResetAfter ? 1 : attempt + 1;
            var delay = RestartBackoff.Delay(attempt);
            Publish(KnownResourceStates.Exited);
            output.Event($"{resource.Name} exited with code {_exitCode}; restarting in {delay.TotalSeconds:0}s");
            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _restarts++;
        }
    }

    /// <summary>SIGTERM, up to <see cref="DistributedApplicationOptions.ShutdownTimeout"/>, then the tree is killed. The caller has cancelled the run first, so there is no restart.</summary>
    public async Task StopAsync()
    {
        if (Process is { } process)
        {
            Publish(KnownResourceStates.Stopping);
            await ProcessSignals.StopAsync(process, options.ShutdownTimeout);
        }
    }

    /// <summary>Kills the process tree at once (second Ctrl+C, AppHost exiting abnormally).</summary>
    public void Kill()
    {
        try
        {
            Process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// Everything but the dashboard starts once it is ready, so no early telemetry is lost; a dashboard that failed or
    /// exited (e.g. its port is taken) does not hold the fleet back.
    /// </summary>
    private async Task<bool> WaitForDashboardAsync(CancellationToken stopping)
    {
        if (dashboard is null || dashboard == resource)
        {
            return true;
        }
        Publish(KnownResourceStates.Waiting);
        try
        {
            await notifications.WaitForResourceAsync(dashboard.Name,
                s => s.IsReady(dashboard.HealthCheck is not null) || s.State is KnownResourceStates.FailedToStart or KnownResourceStates.Exited, stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> WaitForDependenciesAsync(CancellationToken stopping)
    {
        if (resource.WaitsFor.Count == 0)
        {
            return true;
        }
        Publish(KnownResourceStates.Waiting);
        foreach (var dependency in resource.WaitsFor)
        {
            var hasHealthCheck = dependency.HealthCheck is not null;
            ResourceSnapshot snapshot;
            try
            {
                snapshot = await notifications.WaitForResourceAsync(
                    dependency.Name, s => s.IsReady(hasHealthCheck) || s.State == KnownResourceStates.FailedToStart, stopping);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            if (snapshot.State == KnownResourceStates.FailedToStart)
            {
                output.Event($"{resource.Name} failed to start: it waits for {dependency.Name}, which failed to start.");
                Publish(KnownResourceStates.FailedToStart);
                return false;
            }
        }
        return true;
    }

    private Process Start(string dll)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet, [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in ProjectEnvironment.Build(resource, options, dashboard))
        {
            info.Environment[name] = value;
        }
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.Start();
        lock (_gate)
        {
            _process = process;
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Echo(string? line)
    {
        if (line is not null)
        {
            output.Write(resource.Name, line);
        }
    }

    private async Task ProbeHealthAsync(CancellationToken ct)
    {
        if (resource.HealthCheck is not { } check)
        {
            return;
        }
        var url = resource.GetEndpointAnnotation(check.EndpointName).Url + check.Path;
        while (!ct.IsCancellationRequested)
        {
            HealthStatus health;
            try
            {
                using var response = await http.GetAsync(url, ct);
                health = check.StatusCode is null || (int)response.StatusCode == check.StatusCode ? HealthStatus.Healthy : HealthStatus.Unhealthy;
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                health = HealthStatus.Unhealthy;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (health != _health)
            {
                _health = health;
                Publish(KnownResourceStates.Running);
            }
            try
            {
                await Task.Delay(health == HealthStatus.Healthy ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(200), ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Publish(string state)
    {
        int? pid;
        try
        {
            pid = Process?.Id;
        }
        catch (InvalidOperationException)
        {
            pid = null;
        }
        notifications.PublishUpdate(new ResourceSnapshot(resource.Name, state, _health, pid, _exitCode, _restarts));
    }
}

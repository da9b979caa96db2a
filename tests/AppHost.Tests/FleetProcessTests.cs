using System.Diagnostics;
using AppHost.Hosting;
using AppHost.Hosting.Testing;

namespace AppHost.Tests;

/// <summary>Real service processes started from a model: WaitFor, health, injected environment, restart, clean stop.</summary>
public sealed class FleetProcessTests
{
    [Fact]
    public async Task Run_AdapterAndRouter_WaitsHealthyRestartsKilledChildAndLeavesNoProcess()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = DistributedApplicationTestingBuilder.Create();
        var openai = builder.AddProject("openai", "OpenAI.Adapter").WithHttpHealthCheck("/health");
        builder.AddProject("router", "Router.Service").WithHttpHealthCheck("/health").WithReference(openai).WaitFor(openai);
        var app = builder.Build();
        var seenPids = new HashSet<int>();
        var routerStartedWhileOpenAiUnhealthy = false;
        app.ResourceNotifications.Updated += s =>
        {
            if (s.ProcessId is { } pid)
            {
                lock (seenPids)
                {
                    seenPids.Add(pid);
                }
            }
            if (s.Name == "router" && s.State == KnownResourceStates.Starting
                && app.ResourceNotifications.GetSnapshot("openai") is not { State: KnownResourceStates.Running, Health: HealthStatus.Healthy })
            {
                routerStartedWhileOpenAiUnhealthy = true;
            }
        };

        try
        {
            await app.StartAsync(ct).DefaultTimeout();
            await app.WaitForAllHealthyAsync(ct).DefaultTimeout();

            Assert.False(routerStartedWhileOpenAiUnhealthy, "router started before openai was healthy");
            using var routerHttp = app.CreateHttpClient("router");
            using var health = await routerHttp.GetAsync("/health", ct).DefaultTimeout();
            Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);

            // The environment the router process really received (Linux: /proc/{pid}/environ).
            var routerPid = app.GetProcessId("router")!.Value;
            var routerEnv = await ReadEnvironmentAsync(routerPid, ct).DefaultTimeout();
            Assert.Equal(app.GetEndpoint("openai", "grpc").ToString().TrimEnd('/'), routerEnv["services__openai__grpc__0"]);
            Assert.Equal(app.GetEndpoint("openai", "http").ToString().TrimEnd('/'), routerEnv["services__openai__http__0"]);
            Assert.Equal(app.GetEndpoint("router", "http").ToString().TrimEnd('/'), routerEnv["Kestrel__Endpoints__http__Url"]);
            Assert.Equal("router", routerEnv["OTEL_SERVICE_NAME"]);

            // Kill the adapter (SIGKILL): the AppHost reports it and restarts it after 1 s.
            var firstPid = app.GetProcessId("openai")!.Value;
            Process.GetProcessById(firstPid).Kill();
            var restarted = await app.ResourceNotifications.WaitForResourceAsync(
                "openai", s => s.RestartCount == 1 && s.State == KnownResourceStates.Running && s.Health == HealthStatus.Healthy, ct).DefaultTimeout();
            Assert.NotEqual(firstPid, restarted.ProcessId);
            Assert.Contains("openai exited with code 137; restarting in 1s", app.GetConsoleLogs("apphost"));
            using var openaiHttp = app.CreateHttpClient("openai");
            using var openaiHealth = await openaiHttp.GetAsync("/health", ct).DefaultTimeout();
            Assert.Equal(System.Net.HttpStatusCode.OK, openaiHealth.StatusCode);
        }
        finally
        {
            await app.DisposeAsync().AsTask().DefaultTimeout();
        }

        Assert.Equal(KnownResourceStates.Exited, app.ResourceNotifications.GetSnapshot("router")!.State);
        Assert.Equal(KnownResourceStates.Exited, app.ResourceNotifications.GetSnapshot("openai")!.State);
        Assert.True(seenPids.Count >= 3, $"expected router + two openai processes, saw {seenPids.Count}");
        foreach (var pid in seenPids)
        {
            Assert.False(IsAlive(pid), $"process {pid} outlived the application");
        }
    }

    private static async Task<Dictionary<string, string>> ReadEnvironmentAsync(int pid, CancellationToken ct)
    {
        var raw = await File.ReadAllTextAsync($"/proc/{pid}/environ", ct);
        return raw.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0])
            .ToDictionary(g => g.Key, g => g.Last()[1]);
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests;

public sealed class AppHostWatchdogTests
{
    [Fact]
    public async Task Watchdog_AppHostProcessKilled_StopsTheService()
    {
        var ct = TestContext.Current.CancellationToken;
        using var appHost = Process.Start(new ProcessStartInfo("sleep", ["60"]))!;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [AppHostWatchdog.ParentPidVariable] = appHost.Id.ToString() });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource();
        lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        await host.StartAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.False(stopping.Task.IsCompleted, "The service stopped while its AppHost was alive.");
        appHost.Kill();

        await stopping.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        await host.StopAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
    }

    [Fact]
    public async Task Watchdog_NoAppHostPid_LeavesTheServiceRunning()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [AppHostWatchdog.ParentPidVariable] = null });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        await host.StartAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        await Task.Delay(300, ct);

        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        await host.StopAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
    }
}

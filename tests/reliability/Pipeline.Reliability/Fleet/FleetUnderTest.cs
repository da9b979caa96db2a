using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Pipeline.Reliability.Fleet;

/// <summary>
/// The running fleet a suite works against, however it was started (<see cref="ReliabilityFleet"/> for the program, the
/// shared fleet fixture in tests/AppHost.Tests for the CI slice): the Aspire application (endpoints, resource states,
/// process ids), an API key of tenant default, and the data folder (storage, spool, quarantine).
/// </summary>
/// <param name="App">The started AppHost model.</param>
/// <param name="ApiKey">A key the gateway accepts.</param>
/// <param name="DataDirectory">Pipeline:DataDirectory of this fleet.</param>
public sealed record FleetUnderTest(DistributedApplication App, string ApiKey, string DataDirectory)
{
    /// <summary>Every resource the AppHost declares (the emulator runs offline, which is how the suite runs).</summary>
    public static readonly string[] Services = ["storage", "emulator", "openai", "openrouter", "declarative", "comfyui", "router", "gateway"];

    /// <summary>The gateway's HTTP endpoint (OpenAI-compatible routes, the router's HTTP API, the web page).</summary>
    public Uri GatewayHttp => App.GetEndpoint("gateway", "http");

    /// <summary>The gateway's public gRPC endpoint (h2c).</summary>
    public Uri GatewayGrpc => App.GetEndpoint("gateway", "grpc");

    /// <summary>The provider emulator (traffic log, faults, ledger).</summary>
    public Uri Emulator => App.GetEndpoint("emulator", "http");

    /// <summary>Service name → pid of the service process itself (DCP starts each as the only child of a <c>dotnet run</c>); missing while a service is down.</summary>
    public IReadOnlyDictionary<string, int> Processes()
    {
        var processes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in Services)
        {
            if (App.ResourceNotifications.TryGetCurrentState(name, out var e)
                && e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value)
            {
                var launcher = Convert.ToInt32(value, CultureInfo.InvariantCulture);
                processes[name] = Pipeline.Tests.Measurement.ProcessProbe.ChildOf(launcher) ?? launcher;
            }
        }
        return processes;
    }

    /// <summary>Waits until every resource reports healthy (bounded by <paramref name="timeout"/>); throws naming the ones that are not.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await Task.WhenAll(Services.Select(s => App.ResourceNotifications.WaitForResourceHealthyAsync(s, bounded.Token)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var states = Services.Select(s => $"{s}: {(App.ResourceNotifications.TryGetCurrentState(s, out var e) ? e.Snapshot.State?.Text : "unknown")}");
            throw new TimeoutException($"the fleet was not healthy within {timeout.TotalSeconds:0} s ({string.Join(", ", states)})");
        }
    }
}

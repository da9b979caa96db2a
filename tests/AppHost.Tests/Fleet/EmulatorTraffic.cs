using Aspire.Hosting.Testing;
using System.Net.Http.Json;
using System.Text.Json;

namespace AppHost.Tests.Fleet;

/// <summary>The emulator's traffic log (<c>GET /emulator/traffic</c>): every provider request it saw, oldest first.</summary>
internal static class EmulatorTraffic
{
    /// <summary>An HttpClient on the running emulator.</summary>
    public static HttpClient Client(FleetFixture fleet) => Client(fleet.App);

    /// <summary>An HttpClient on the emulator of <paramref name="app"/>.</summary>
    public static HttpClient Client(Aspire.Hosting.DistributedApplication app) =>
        new() { BaseAddress = app.GetEndpoint("emulator", "http"), Timeout = TestTimeouts.Default };

    /// <summary>Every event so far.</summary>
    public static async Task<List<JsonElement>> ReadAsync(HttpClient emulator, CancellationToken ct)
    {
        using var json = await emulator.GetFromJsonAsync<JsonDocument>("/emulator/traffic", ct).DefaultTimeout();
        return [.. json!.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>Polls the log every 100 ms until an event matches; fails after the default timeout showing the log's tail.</summary>
    public static async Task<JsonElement> WaitForAsync(HttpClient emulator, Func<JsonElement, bool> match, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            var traffic = await ReadAsync(emulator, ct);
            foreach (var e in traffic.Where(match))
            {
                return e;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No matching event in /emulator/traffic within {TestTimeouts.Default.TotalSeconds}s; last: " +
                    string.Join(Environment.NewLine, traffic.TakeLast(20).Select(e => e.GetRawText())));
            }
            await Task.Delay(100, ct);
        }
    }

    /// <summary>The request id of every event so far, to tell later events apart.</summary>
    public static async Task<HashSet<string?>> RequestIdsAsync(HttpClient emulator, CancellationToken ct) =>
        [.. (await ReadAsync(emulator, ct)).Select(e => e.GetProperty("requestId").GetString())];
}

using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Reliability.Faults;

/// <summary>The emulator's run-time controls: faults armed for the next calls, and its ledger of delivered images.</summary>
internal sealed class EmulatorControl(Uri emulator) : IDisposable
{
    /// <summary>The provider path every fault of the matrix targets (the config's adapter calls the OpenAI Images API).</summary>
    public const string ImagesPath = "/v1/images/generations";

    private readonly HttpClient _http = new() { BaseAddress = emulator, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Arms <paramref name="faults"/> for the next <paramref name="calls"/> Images calls.</summary>
    public async Task ArmAsync(string faults, int calls, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(
            $"/emulator/faults/next?calls={calls}&path={Uri.EscapeDataString(ImagesPath)}&faults={Uri.EscapeDataString(faults)}", null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Disarms whatever is left armed.</summary>
    public Task DisarmAsync(CancellationToken cancellationToken) => ArmAsync("", 0, cancellationToken);

    /// <summary>The SHA-256 of every final image the emulator delivered for <paramref name="runId"/>.</summary>
    public async Task<IReadOnlyList<string>> DeliveredAsync(string runId, CancellationToken cancellationToken)
    {
        var ledger = await _http.GetFromJsonAsync<LedgerReply>($"/emulator/ledger?run={Uri.EscapeDataString(runId)}", cancellationToken)
            ?? throw new InvalidOperationException("the emulator's ledger answered null");
        return [.. ledger.Entries.Select(e => e.Sha256)];
    }

    public void Dispose() => _http.Dispose();

    private sealed record LedgerReply([property: JsonPropertyName("entries")] IReadOnlyList<LedgerLine> Entries);

    private sealed record LedgerLine([property: JsonPropertyName("sha256")] string Sha256);
}

using System.Net.Http.Json;
using System.Text.Json;

namespace Pipeline.Tests.Measurement;

/// <summary>One span as the Aspire dashboard's telemetry API returns it (OTLP/JSON), flattened.</summary>
public sealed record TelemetrySpan(string Service, string Scope, string Name, string Kind, string SpanId, string ParentSpanId, JsonElement Raw)
{
    /// <summary>The process that sent the span (<c>service.instance.id</c>): replicas share a service name, not this.</summary>
    public string Instance { get; init; } = "";

    /// <summary>When the span started (OTLP <c>startTimeUnixNano</c>).</summary>
    public long StartNanos => Nanos("startTimeUnixNano");

    /// <summary>When the span ended (OTLP <c>endTimeUnixNano</c>).</summary>
    public long EndNanos => Nanos("endTimeUnixNano");

    /// <summary>How long the span lasted, in milliseconds.</summary>
    public double DurationMs => (EndNanos - StartNanos) / 1e6;

    public bool IsServer => Kind is "2" or "SPAN_KIND_SERVER" or "Server" or "server";

    /// <summary>The attribute's value as text (string, int or bool), or null.</summary>
    public string? Attribute(string key)
    {
        if (!Raw.TryGetProperty("attributes", out var attributes))
        {
            return null;
        }
        foreach (var attribute in attributes.EnumerateArray().Where(a => a.GetProperty("key").GetString() == key))
        {
            var value = attribute.GetProperty("value");
            foreach (var property in value.EnumerateObject())
            {
                return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            }
        }
        return null;
    }

    public bool IsClient => Kind is "3" or "SPAN_KIND_CLIENT" or "Client" or "client";

    private long Nanos(string name) => Raw.TryGetProperty(name, out var value)
        ? value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : value.GetInt64()
        : 0;
}

/// <summary>
/// Reads traces from the Aspire dashboard's <c>/api/telemetry</c> (anonymous access, as the fleet fixture and the benchmark
/// start it); every wait ends after <paramref name="timeout"/>.
/// </summary>
public sealed class DashboardTelemetry(Uri dashboard, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = dashboard, Timeout = timeout };

    /// <summary>Polls <c>/api/telemetry/traces/{traceId}</c> until <paramref name="done"/> holds for its spans (exports are batched).</summary>
    public async Task<IReadOnlyList<TelemetrySpan>> WaitForTraceAsync(string traceId, Func<IReadOnlyList<TelemetrySpan>, bool> done, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "none";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await _http.GetAsync($"/api/telemetry/traces/{traceId}", ct);
            last = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                using var json = JsonDocument.Parse(last);
                var spans = Spans(json.RootElement);
                if (done(spans))
                {
                    return spans;
                }
            }
            await Task.Delay(500, ct);
        }
        throw new TimeoutException($"trace {traceId} did not reach the expected state within {timeout.TotalSeconds}s; last answer: {last[..Math.Min(last.Length, 3000)]}");
    }

    /// <summary>Every span of the most recent traces (<c>/api/telemetry/traces?limit=</c>).</summary>
    public async Task<IReadOnlyList<TelemetrySpan>> RecentSpansAsync(int limit, CancellationToken ct)
    {
        using var json = await _http.GetFromJsonAsync<JsonDocument>($"/api/telemetry/traces?limit={limit}", ct);
        return Spans(json!.RootElement);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The spans under every <c>resourceSpans</c> anywhere in <paramref name="root"/>.</summary>
    private static List<TelemetrySpan> Spans(JsonElement root)
    {
        var spans = new List<TelemetrySpan>();
        foreach (var resourceSpans in FindArrays(root, "resourceSpans").SelectMany(a => a.EnumerateArray()))
        {
            var service = ResourceAttribute(resourceSpans, "service.name");
            var instance = ResourceAttribute(resourceSpans, "service.instance.id");
            foreach (var scopeSpans in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
            {
                var scope = scopeSpans.TryGetProperty("scope", out var s) && s.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
                foreach (var span in scopeSpans.GetProperty("spans").EnumerateArray())
                {
                    spans.Add(new TelemetrySpan(service, scope, Text(span, "name"), Text(span, "kind"), Text(span, "spanId"), Text(span, "parentSpanId"), span.Clone())
                    {
                        Instance = instance,
                    });
                }
            }
        }
        return spans;
    }

    private static string ResourceAttribute(JsonElement resourceSpans, string key) =>
        resourceSpans.TryGetProperty("resource", out var resource) && resource.TryGetProperty("attributes", out var attributes)
            ? attributes.EnumerateArray().Where(a => a.GetProperty("key").GetString() == key)
                .Select(a => a.GetProperty("value").GetProperty("stringValue").GetString()).FirstOrDefault() ?? ""
            : "";

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? (value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText()) : "";

    private static IEnumerable<JsonElement> FindArrays(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == name && property.Value.ValueKind == JsonValueKind.Array)
                {
                    yield return property.Value;
                }
                else
                {
                    foreach (var found in FindArrays(property.Value, name))
                    {
                        yield return found;
                    }
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var found in element.EnumerateArray().SelectMany(e => FindArrays(e, name)))
            {
                yield return found;
            }
        }
    }
}

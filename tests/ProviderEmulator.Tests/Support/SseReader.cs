using System.Net.ServerSentEvents;
using System.Text.Json;

namespace ProviderEmulator.Tests.Support;

/// <summary>SSE reading with the framework's <see cref="SseParser"/>.</summary>
public static class SseReader
{
    /// <summary>OpenAI streams: each event's type and parsed JSON data.</summary>
    public static async Task<List<(string Type, JsonElement Data)>> ReadOpenAIEventsAsync(HttpResponseMessage response)
    {
        var events = new List<(string, JsonElement)>();
        await using var stream = await response.Content.ReadAsStreamAsync(TestTimeouts.Token()).DefaultTimeout();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(TestTimeouts.Token()))
        {
            events.Add((item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone()));
        }

        return events;
    }

    /// <summary>Raw items (event type "message" when there is no event: line) with their data text.</summary>
    public static async Task<List<SseItem<string>>> ReadItemsAsync(HttpResponseMessage response)
    {
        var items = new List<SseItem<string>>();
        await using var stream = await response.Content.ReadAsStreamAsync(TestTimeouts.Token()).DefaultTimeout();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(TestTimeouts.Token()))
        {
            items.Add(item);
        }

        return items;
    }
}

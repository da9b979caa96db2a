using System.Text;
using System.Text.Json;

namespace AppHost.Tests.Fleet;

/// <summary>One server-sent event of the gateway's OpenAI-compatible streams.</summary>
internal sealed record ServerEvent(string Name, JsonElement Data);

internal static class ServerSentEvents
{
    public static HttpRequestMessage StreamedGeneration(int partialImages) => new(HttpMethod.Post, "/v1/images/generations")
    {
        Content = Json($$"""{"model":"gpt-image-1","prompt":"a red fox in snow","size":"1024x1024","quality":"low","stream":true,"partial_images":{{partialImages}}}"""),
    };

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Reads an SSE response to its end, calling <paramref name="onEvent"/> as each event arrives.</summary>
    public static async Task<List<ServerEvent>> ReadEventsAsync(HttpClient client, HttpRequestMessage request, CancellationToken ct, Action<ServerEvent>? onEvent = null)
    {
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        var events = new List<ServerEvent>();
        string? name = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name is not null)
            {
                var e = new ServerEvent(name, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
                events.Add(e);
                onEvent?.Invoke(e);
                name = null;
            }
        }
        return events;
    }
}

using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Pipeline.Providers;

namespace OpenRouter.Adapter.Chat;

/// <summary>
/// Reads a streamed chat completion (<c>data:</c> chunks, <c>: OPENROUTER PROCESSING</c> comments, <c>data: [DONE]</c>) with
/// <see cref="SseParser"/>, yielding each image the moment its delta arrives. <see cref="Result"/> holds text, usage and
/// every image once the stream is done. A chunk with <c>error</c> ends the call with that error; a stream that ends before
/// <c>[DONE]</c> is UNAVAILABLE.
/// </summary>
internal sealed class ChatStreamReader(ImageNormalizer images, string? requestId)
{
    private static readonly byte[] Done = "[DONE]"u8.ToArray();

    public ChatResult Result { get; } = new() { Id = requestId };

    public async IAsyncEnumerable<VerifiedImage> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken ct)
    {
        var parser = SseParser.Create(body, static (_, data) => data.ToArray());
        var chunk = 0;
        var done = false;
        await foreach (var item in parser.EnumerateAsync(ct))
        {
            if (item.Data.AsSpan().Trim((byte)' ').SequenceEqual(Done))
            {
                done = true;
                break;
            }
            using var document = Parse(item.Data, chunk);
            foreach (var (field, url) in ReadChunk(document.RootElement, chunk))
            {
                var image = await images.NormalizeAsync(url, field, ct);
                Result.Images.Add(image);
                yield return image;
            }
            chunk++;
        }
        if (!done)
        {
            throw new ProviderException(ProviderFailureKind.Unavailable,
                $"The OpenRouter stream ended after {chunk} chunk(s) without [DONE].", providerRequestId: Result.Id);
        }
    }

    private List<(string Field, string Url)> ReadChunk(JsonElement root, int chunk)
    {
        var what = $"stream chunk {chunk}";
        ChatJson.ReadEnvelope(root, Result, requestId, what);
        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            throw ChatJson.Malformed($"{what} has no choices array");
        }
        var found = new List<(string, string)>();
        var i = 0;
        foreach (var choice in choices.EnumerateArray())
        {
            if (ChatJson.String(choice, "finish_reason") is { } finish)
            {
                Result.FinishReason = finish;
            }
            if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
            {
                found.AddRange(ChatJson.ReadMessage(delta, $"{what} choices[{i}].delta", Result));
            }
            i++;
        }
        return found;
    }

    private JsonDocument Parse(byte[] data, int chunk)
    {
        try
        {
            return JsonDocument.Parse(data);
        }
        catch (JsonException ex)
        {
            throw new ProviderException(ProviderFailureKind.MalformedResponse,
                $"Malformed OpenRouter reply: stream chunk {chunk} is not valid JSON ({ex.Message})", providerRequestId: Result.Id, innerException: ex);
        }
    }
}

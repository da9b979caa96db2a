using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Declarative.Adapter.Http;
using Declarative.Adapter.Templates;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace Declarative.Adapter.Output;

/// <summary>
/// Reads a streamed reply (<c>api_config.streaming</c>) with <see cref="SseParser"/>: partial events become PartialImage
/// frames of the image being made, final events FinalImage frames (the next image's partials follow), an error event ends
/// the call through the chunk's error table. A stream that ends before any final event is UNAVAILABLE.
/// </summary>
internal sealed class EventStreamReader(PreparedCall call, ImageNormalizer images)
{
    private static readonly byte[] Done = "[DONE]"u8.ToArray();

    public async IAsyncEnumerable<ProviderFrame> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken ct)
    {
        var streaming = call.Chunk.Streaming!;
        var parser = SseParser.Create(body, static (type, data) => (Type: type, Data: data.ToArray()));
        var finals = 0;
        var partials = 0;
        var number = 0;
        await foreach (var item in parser.EnumerateAsync(ct))
        {
            var (eventName, data) = item.Data;
            if (data.AsSpan().Trim((byte)' ').SequenceEqual(Done))
            {
                break;
            }
            var json = Parse(data, number);
            var type = streaming.EventTypePath.FirstString(json) ?? eventName;
            if (type == streaming.ErrorEvent)
            {
                throw ErrorTranslator.FromStreamError(call, streaming.ErrorMessagePath.FirstString(json));
            }
            if (type == streaming.PartialEvent)
            {
                var image = await images.NormalizeAsync(Source(json, number), $"event {number} {streaming.ImagePath}", ct);
                var index = streaming.IndexPath?.FirstString(json) is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var given)
                    ? given
                    : partials;
                partials++;
                yield return new ProviderFrame { Partial = images.ToPartialImage(image, finals, index) };
            }
            else if (type == streaming.FinalEvent)
            {
                var image = await images.NormalizeAsync(Source(json, number), $"event {number} {streaming.ImagePath}", ct);
                yield return new ProviderFrame { Final = images.ToFinalImage(image, finals++) };
                partials = 0;
            }
            number++;
        }
        if (finals == 0)
        {
            throw new ProviderException(ProviderFailureKind.Unavailable,
                $"{call.Chunk.Provider}'s event stream ended after {number} event(s) without a '{streaming.FinalEvent}' event.");
        }
    }

    private string Source(JsonNode? json, int number) => call.Chunk.Streaming!.ImagePath.FirstString(json) is { Length: > 0 } source
        ? source
        : throw ImageSources.Malformed($"event {number} has no image at '{call.Chunk.Streaming.ImagePath}'");

    private static JsonNode? Parse(byte[] data, int number)
    {
        try
        {
            return JsonNode.Parse(data);
        }
        catch (JsonException ex)
        {
            throw ImageSources.Malformed($"event {number} is not valid JSON ({ex.Message})");
        }
    }
}

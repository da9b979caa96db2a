using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Imaging;
using ProviderEmulator.Rendering;

namespace ProviderEmulator.Replicate;

/// <summary>
/// One prediction and its life: <c>starting</c>, then <c>processing</c> at the first poll, then <c>succeeded</c> (or
/// <c>failed</c>) from the second poll on once <see cref="Hold"/> has passed since creation; <c>canceled</c> when cancelled
/// before. Thread-safe.
/// </summary>
internal sealed class Prediction(string id, string model, JsonObject input, ImageSpec spec, int outputs, TimeSpan hold, string? failure, DateTimeOffset created)
{
    private readonly Lock _gate = new();
    private int _polls;
    private DateTimeOffset? _started;
    private DateTimeOffset? _completed;

    public string Id { get; } = id;

    public string Status { get; private set; } = "starting";

    /// <summary>The output images, rendered when the prediction succeeds.</summary>
    public IReadOnlyList<byte[]> Images { get; private set; } = [];

    public ImageFormat Format => spec.Format;

    /// <summary>How long the prediction runs at least (the create request's <c>partial-delay</c> fault; default 0).</summary>
    public TimeSpan Hold { get; } = hold;

    /// <summary>Moves the prediction on by one poll at <paramref name="now"/>.</summary>
    public void Poll(DateTimeOffset now, ImageStudio studio)
    {
        lock (_gate)
        {
            if (IsTerminal)
            {
                return;
            }
            _polls++;
            if (_polls == 1 || now - created < Hold)
            {
                Status = "processing";
                _started ??= now;
                return;
            }
            _completed = now;
            if (failure is not null)
            {
                Status = "failed";
                return;
            }
            Images = [.. Enumerable.Range(0, outputs).Select(i => studio.Final(spec with { Seed = spec.Seed + i }))];
            Status = "succeeded";
        }
    }

    /// <summary>Cancels a running prediction; a finished one stays as it is.</summary>
    public void Cancel(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!IsTerminal)
            {
                Status = "canceled";
                _completed = now;
            }
        }
    }

    /// <summary>The prediction object as Replicate returns it, URLs absolute on <paramref name="origin"/>.</summary>
    public JsonObject ToJson(string origin)
    {
        lock (_gate)
        {
            var self = $"{origin}/api.replicate.com/v1/predictions/{Id}";
            var body = new JsonObject
            {
                ["id"] = Id,
                ["model"] = model,
                ["version"] = "c846a69991daf4c0e5d016514849d14ee5b2e6846ce6b9d6f21369e564cfe51e",
                ["input"] = input.DeepClone(),
                ["logs"] = _started is null ? "" : $"Using seed: {spec.Seed}\nrunning quantized prediction\n",
                ["output"] = Status == "succeeded"
                    ? new JsonArray([.. Images.Select((_, i) => (JsonNode)$"{origin}/replicate.delivery/{Id}/out-{i}.{Format.ToExtension()}")])
                    : null,
                ["data_removed"] = false,
                ["error"] = Status == "failed" ? failure : null,
                ["status"] = Status,
                ["created_at"] = Timestamp(created),
                ["urls"] = new JsonObject
                {
                    ["cancel"] = $"{self}/cancel",
                    ["get"] = self,
                    ["stream"] = $"https://stream.replicate.com/v1/files/{Id}",
                    ["web"] = $"https://replicate.com/p/{Id}",
                },
            };
            if (_started is { } started)
            {
                body["started_at"] = Timestamp(started);
            }
            if (_completed is { } completed)
            {
                body["completed_at"] = Timestamp(completed);
                body["metrics"] = new JsonObject
                {
                    ["predict_time"] = Math.Round((completed - (_started ?? created)).TotalSeconds, 3),
                    ["image_count"] = Images.Count,
                };
            }
            return body;
        }
    }

    private bool IsTerminal => Status is "succeeded" or "failed" or "canceled";

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}

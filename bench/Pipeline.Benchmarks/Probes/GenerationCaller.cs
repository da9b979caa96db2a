using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Benchmarks.Probes;

/// <summary>Sends one generation and times it; fails loudly on anything but a 200 with an image.</summary>
public sealed class GenerationCaller(HttpClient http, string size)
{
    /// <summary>A non-streamed generation: seconds until the whole body is read, and the image's size in base64 characters.</summary>
    public async Task<(double Seconds, long Base64Bytes)> GenerateAsync(BenchmarkTarget target, CancellationToken cancellationToken)
    {
        using var request = target.CreateGeneration(size);
        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{target.Name} answered {(int)response.StatusCode}: {Truncate(body)}");
        }
        using var json = JsonDocument.Parse(body);
        var b64 = json.RootElement.GetProperty("data")[0].GetProperty("b64_json").GetString()
            ?? throw new InvalidOperationException($"{target.Name} returned no b64_json");
        return (seconds, b64.Length);
    }

    /// <summary>A streamed generation: seconds until the first <c>partial_image</c> event has arrived (the rest is drained).</summary>
    public async Task<double> FirstPartialAsync(BenchmarkTarget target, int partialImages, CancellationToken cancellationToken)
    {
        using var request = target.CreateGeneration(size, partialImages);
        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{target.Name} answered {(int)response.StatusCode}: {Truncate(await response.Content.ReadAsByteArrayAsync(cancellationToken))}");
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        double? first = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (first is null && line.StartsWith("event:", StringComparison.Ordinal) && line.Contains("partial_image", StringComparison.Ordinal))
            {
                first = watch.Elapsed.TotalSeconds;
            }
        }
        return first ?? throw new InvalidOperationException($"{target.Name} streamed no partial_image event");
    }

    private static string Truncate(byte[] body) => System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)));
}

namespace Pipeline.Benchmarks.Probes;

/// <summary>
/// Something that serves OpenAI's <c>POST /v1/images/generations</c>: the fleet's gateway, the emulator itself, or Portkey.
/// <paramref name="V1"/> ends with <c>/v1/</c>; <paramref name="Headers"/> carry the key and any routing headers.
/// </summary>
public sealed record BenchmarkTarget(string Name, Uri V1, string Model, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>A generation request for this target (non-streamed, or streamed with <paramref name="partialImages"/>).</summary>
    public HttpRequestMessage CreateGeneration(string size, int partialImages = 0)
    {
        var stream = partialImages > 0 ? $",\"stream\":true,\"partial_images\":{partialImages}" : "";
        var body = $"{{\"model\":\"{Model}\",\"prompt\":\"a lighthouse at dusk, benchmark\",\"size\":\"{size}\",\"quality\":\"low\"{stream}}}";
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(V1, "images/generations"))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }
}

using System.Text;

namespace Pipeline.Reliability.Fuzz.Generators;

/// <summary>
/// Valid generations whose provider replies the emulator corrupts (fault <c>mutate</c>, seeded by the case): through
/// each adapter family (OpenAI images and Responses, OpenRouter, the declarative Stability chunk, DALL·E's URL
/// download), streamed and not, on the OpenAI route and the router's API.
/// </summary>
public static class ProviderReplyGenerator
{
    private static readonly string[] Models = ["gpt-image-1", "gpt-image-1_responses", "gemini-2.5-flash-image", "sd35_large", "dall-e-3", "gpt-image-1-mini"];

    public static FuzzRequest Create(Random random, int seed)
    {
        var model = Mutations.Pick(random, Models);
        var stream = random.Next(2) == 0;
        var quality = model is "dall-e-3" ? "standard" : "low";
        if (random.Next(3) == 0)
        {
            var body = $"{{\"prompt\":\"a fox in snow\",\"config\":\"{model}\",\"parameters\":{{\"quality\":\"{quality}\"}}}}";
            return new FuzzRequest("POST", "/api/generate", Encoding.UTF8.GetBytes(body), "application/json", Envelope.Problem, $"provider:{model}:api") { MutateSeed = seed };
        }

        var json = stream
            ? $"{{\"model\":\"{model}\",\"prompt\":\"a fox in snow\",\"quality\":\"{quality}\",\"stream\":true,\"partial_images\":{random.Next(0, 3)}}}"
            : $"{{\"model\":\"{model}\",\"prompt\":\"a fox in snow\",\"quality\":\"{quality}\"}}";
        return new FuzzRequest("POST", "/v1/images/generations", Encoding.UTF8.GetBytes(json), "application/json", Envelope.OpenAI, $"provider:{model}:{(stream ? "stream" : "json")}") { MutateSeed = seed };
    }
}

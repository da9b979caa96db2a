using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Imaging;
using ProviderEmulator.Hosting;
using ProviderEmulator.Rendering;
using ProviderEmulator.Sse;
using ProviderEmulator.Stability;

namespace ProviderEmulator.Replicate;

/// <summary>
/// Replicate's asynchronous predictions, host-prefixed: <c>POST /api.replicate.com/v1/models/{owner}/{name}/predictions</c>
/// (201, status <c>starting</c>), <c>GET /api.replicate.com/v1/predictions/{id}</c> (processing, then succeeded with output
/// URLs), <c>POST …/{id}/cancel</c>, and the output files under <c>/replicate.delivery/{id}/out-{i}.{ext}</c>. Faults:
/// <c>partial-delay</c> on the create request keeps the prediction running that long; <c>content-policy</c> and
/// <c>mid-stream-error</c> make it end <c>failed</c>.
/// </summary>
internal static class ReplicateEndpoints
{
    private const string NsfwError = "All generated images contained NSFW content. Try running it again with a different prompt.";
    private const string CrashError = "Prediction failed for an unknown reason. It might have run out of memory? (exitcode -9)";
    private static readonly string[] Models = ["black-forest-labs/flux-schnell", "black-forest-labs/flux-dev", "black-forest-labs/flux-1.1-pro"];
    private static readonly string[] Formats = ["webp", "jpg", "png"];

    public static IEndpointRouteBuilder MapReplicate(this IEndpointRouteBuilder routes)
    {
        var store = new PredictionStore();
        routes.MapPost("/api.replicate.com/v1/models/{owner}/{name}/predictions",
            (HttpContext context, string owner, string name, TimeProvider time) => CreateAsync(context, $"{owner}/{name}", store, time));
        routes.MapGet("/api.replicate.com/v1/predictions/{id}", async (HttpContext context, string id, ImageStudio studio, TimeProvider time) =>
        {
            var prediction = store.Find(id) ?? throw new ApiErrorException(ReplicateErrors.NotFound());
            prediction.Poll(time.GetUtcNow(), studio);
            await JsonReply.WriteAsync(context, prediction.ToJson(Origin(context)));
        });
        routes.MapPost("/api.replicate.com/v1/predictions/{id}/cancel", async (HttpContext context, string id, TimeProvider time) =>
        {
            var prediction = store.Find(id) ?? throw new ApiErrorException(ReplicateErrors.NotFound());
            prediction.Cancel(time.GetUtcNow());
            await JsonReply.WriteAsync(context, prediction.ToJson(Origin(context)));
        });
        routes.MapGet("/replicate.delivery/{id}/{file}", (string id, string file) =>
            store.Find(id) is { Status: "succeeded" } prediction && OutputIndex(file, prediction) is { } index
                ? Results.Bytes(prediction.Images[index], prediction.Format.ToMimeType())
                : Results.NotFound());
        return routes;
    }

    private static async Task CreateAsync(HttpContext context, string model, PredictionStore store, TimeProvider time)
    {
        if (!Models.Contains(model, StringComparer.Ordinal))
        {
            throw new ApiErrorException(ReplicateErrors.NotFound());
        }
        var input = await ReadInputAsync(context.Request);
        var (spec, outputs) = Read(input);
        var faults = EmulatorRequest.Get(context).Faults;
        var failure = faults.ContentPolicy ? NsfwError : faults.MidStreamError ? CrashError : null;
        var prediction = new Prediction(PredictionStore.NewId(), model, input, spec, outputs, faults.PartialDelay, failure, time.GetUtcNow());
        store.Add(prediction);
        var bytes = Encoding.UTF8.GetBytes(EmulatorJson.Serialize(prediction.ToJson(Origin(context))));
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = bytes.Length;
        await BodyWriter.WriteAsync(context, bytes);
    }

    private static async Task<JsonObject> ReadInputAsync(HttpRequest request)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException ex)
        {
            throw new ApiErrorException(new ApiError(400, $"The request body is not valid JSON: {ex.Message}", Code: "Bad request"));
        }
        return body?["input"] as JsonObject
            ?? throw new ApiErrorException(new ApiError(422, "- (root): input is required\n", Code: "Input validation failed")
            {
                Extra = new JsonObject
                {
                    ["invalid_fields"] = new JsonArray(new JsonObject { ["type"] = "required", ["field"] = "(root)", ["description"] = "input is required" }),
                },
            });
    }

    /// <summary>FLUX's inputs: prompt (required), aspect_ratio, num_outputs 1-4, seed, output_format, output_quality, megapixels.</summary>
    private static (ImageSpec Spec, int Outputs) Read(JsonObject input)
    {
        var prompt = String(input, "prompt");
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw new ApiErrorException(ReplicateErrors.InvalidInput("prompt", "required", "prompt is required"));
        }
        var ratio = String(input, "aspect_ratio") ?? "1:1";
        if (!AspectRatios.Flux.Contains(ratio, StringComparer.Ordinal))
        {
            throw new ApiErrorException(ReplicateErrors.InvalidInput("aspect_ratio", "enum",
                $"aspect_ratio must be one of the following: {string.Join(", ", AspectRatios.Flux.Select(r => $"\"{r}\""))}"));
        }
        var outputs = Integer(input, "num_outputs", 1, 1, 4);
        var quality = Integer(input, "output_quality", 80, 0, 100);
        var seed = Integer(input, "seed", 0, 0, int.MaxValue);
        var formatName = String(input, "output_format") ?? "webp";
        if (!Formats.Contains(formatName, StringComparer.Ordinal) || !ImageFormats.TryParse(formatName, out var format))
        {
            throw new ApiErrorException(ReplicateErrors.InvalidInput("output_format", "enum",
                $"output_format must be one of the following: {string.Join(", ", Formats.Select(f => $"\"{f}\""))}"));
        }
        var megapixels = String(input, "megapixels") ?? "1";
        if (megapixels is not ("1" or "0.25"))
        {
            throw new ApiErrorException(ReplicateErrors.InvalidInput("megapixels", "enum", "megapixels must be one of the following: \"1\", \"0.25\""));
        }
        var (width, height) = AspectRatios.Size(ratio, megapixels == "1" ? 1 : 0.5);
        var spec = new ImageSpec(prompt, width, height, seed == 0 ? StabilityEndpoints.SeedOf(prompt) : seed, false, format, quality);
        return (spec, outputs);
    }

    private static string? String(JsonObject input, string name) => input[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw new ApiErrorException(ReplicateErrors.InvalidInput(name, "invalid_type", $"Invalid type. Expected: string, given: {Kind(input[name]!)}")),
    };

    private static int Integer(JsonObject input, string name, int fallback, int min, int max)
    {
        if (input[name] is null)
        {
            return fallback;
        }
        if (input[name] is not JsonValue value || !value.TryGetValue<double>(out var number) || number != Math.Floor(number))
        {
            throw new ApiErrorException(ReplicateErrors.InvalidInput(name, "invalid_type", $"Invalid type. Expected: integer, given: {Kind(input[name]!)}"));
        }
        if (number < min || number > max)
        {
            var bound = number < min ? $"greater than or equal to {min}" : $"less than or equal to {max}";
            throw new ApiErrorException(ReplicateErrors.InvalidInput(name, number < min ? "number_gte" : "number_lte", $"Must be {bound}"));
        }
        return (int)number;
    }

    private static string Kind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        _ => "object",
    };

    private static int? OutputIndex(string file, Prediction prediction)
    {
        var expected = $".{prediction.Format.ToExtension()}";
        return file.StartsWith("out-", StringComparison.Ordinal) && file.EndsWith(expected, StringComparison.Ordinal)
            && int.TryParse(file[4..^expected.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < prediction.Images.Count
            ? index
            : null;
    }

    private static string Origin(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";
}

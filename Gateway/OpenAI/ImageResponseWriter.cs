using System.Text.Json;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.OpenAI;

/// <summary>
/// The non-streamed answer, shaped as OpenAI's: <c>created</c>, <c>data[]</c> (<c>b64_json</c> or <c>url</c>,
/// <c>revised_prompt</c>, plus our image <c>id</c>), <c>background</c>, <c>output_format</c>, <c>quality</c>,
/// <c>size</c>, <c>usage</c>, plus a <c>pipeline</c> object (run, the config that served with every config tried, stored images).
/// </summary>
public static class ImageResponseWriter
{
    public static async Task WriteAsync(HttpContext context, ImageRequest request, long created, RunServing serving, ImageShape shape, IReadOnlyList<Final> images)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        // Straight into the response's pipe: one span the size of the image's base64, instead of a private buffer that
        // doubles its way up to it (256 kB, 512 kB, 1 MB, 2 MB for a 1024² image) and is then copied.
        await using var json = new Utf8JsonWriter(response.BodyWriter, GatewayJson.WriterOptions);
        json.WriteStartObject();
        json.WriteNumber("created", created);
        json.WriteString("background", shape.Background);
        json.WriteStartArray("data");
        foreach (var image in images)
        {
            json.WriteStartObject();
            if (request.ReturnUrl)
            {
                json.WriteString("url", origin + (image.Storage?.UrlPath is { Length: > 0 } path ? path : $"/images/{image.ImageId}"));
            }
            else
            {
                json.WriteBase64String("b64_json", image.Data.Span);
            }
            if (image.RevisedPrompt.Length > 0)
            {
                json.WriteString("revised_prompt", image.RevisedPrompt);
            }
            json.WriteString("id", image.ImageId);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("output_format", images.Count > 0 ? shape.FormatOf(images[0]) : shape.OutputFormat);
        json.WriteString("quality", shape.Quality);
        json.WriteString("size", images.Count > 0 ? shape.SizeOf(images[0]) : shape.Size);
        ImageJson.WriteUsage(json, ImageJson.Sum(images));
        json.WriteStartObject("pipeline");
        json.WriteString("run_id", serving.RunId);
        serving.WriteJson(json);
        json.WriteBoolean("replayed", serving.Replayed);
        // cost: what the images cost (a replay's is the original run's); charged: what this call added (0 for a replay);
        // cost_known false: a price was missing and cost is a lower bound, never a silent 0.
        json.WriteNumber("cost_usd_micros", images.Sum(i => i.CostUsdMicros));
        json.WriteBoolean("cost_known", images.All(i => i.CostKnown));
        json.WriteNumber("charged_usd_micros", images.Sum(i => i.ChargedUsdMicros));
        json.WriteStartArray("images");
        foreach (var image in images)
        {
            json.WriteStartObject();
            ImageJson.WriteStoredImage(json, image);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}

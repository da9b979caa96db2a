using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Errors;
using Microsoft.AspNetCore.Http.Features;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.OpenAI;

/// <summary>
/// Server-sent events exactly as OpenAI sends them for <c>stream=true</c>: <c>{prefix}.partial_image</c> per partial
/// frame and <c>{prefix}.completed</c> per image (prefix <c>image_generation</c> or <c>image_edit</c>), each
/// <c>event: type</c> + one-line JSON repeating <c>type</c>, flushed as it happens; no <c>[DONE]</c>. A failure after
/// the stream began is an <c>error</c> event with the OpenAI envelope. Our additions ride in <c>id</c> and <c>pipeline</c>
/// (the config that served, after any Fallback frame, with every config tried). Fallback frames themselves send no event:
/// OpenAI's clients know none such.
/// </summary>
public sealed class ImageEventStream(HttpContext context, ImageOperation operation, RunServing serving)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly string _prefix = operation.EventPrefix();

    /// <summary>The echoed values of the serving config (changes when a Fallback frame names another config).</summary>
    public required ImageShape Shape { get; set; }

    /// <summary>Sends the SSE headers at once, so proxies and clients see the stream begin.</summary>
    public Task StartAsync()
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return response.StartAsync(context.RequestAborted);
    }

    public Task WritePartialAsync(Partial partial)
    {
        var type = _prefix + ".partial_image";
        return WriteEventAsync(type, json =>
        {
            json.WriteString("type", type);
            json.WriteBase64String("b64_json", partial.Data.Span);
            json.WriteNumber("created_at", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            json.WriteString("size", Shape.Size);
            json.WriteString("quality", Shape.Quality);
            json.WriteString("background", Shape.Background);
            json.WriteString("output_format", Shape.OutputFormat);
            json.WriteNumber("partial_image_index", partial.PartialIndex);
            json.WriteStartObject("pipeline");
            json.WriteString("run_id", serving.RunId);
            json.WriteNumber("image_index", partial.ImageIndex);
            json.WriteEndObject();
        });
    }

    public Task WriteCompletedAsync(Final image)
    {
        var type = _prefix + ".completed";
        return WriteEventAsync(type, json =>
        {
            json.WriteString("type", type);
            json.WriteBase64String("b64_json", image.Data.Span);
            json.WriteNumber("created_at", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            json.WriteString("size", Shape.SizeOf(image));
            json.WriteString("quality", Shape.Quality);
            json.WriteString("background", Shape.Background);
            json.WriteString("output_format", Shape.FormatOf(image));
            ImageJson.WriteUsage(json, ImageJson.Sum([image]));
            if (image.RevisedPrompt.Length > 0)
            {
                json.WriteString("revised_prompt", image.RevisedPrompt);
            }
            json.WriteString("id", image.ImageId);
            json.WriteStartObject("pipeline");
            json.WriteString("run_id", serving.RunId);
            serving.WriteJson(json);
            ImageJson.WriteStoredImage(json, image);
            json.WriteEndObject();
        });
    }

    /// <summary>An <c>error</c> event (the stream then ends), shaped <c>{"type":"error","error":{envelope}}</c>.</summary>
    public Task WriteErrorAsync(OpenAIError error) => WriteEventAsync("error", json =>
    {
        json.WriteString("type", "error");
        error.WriteErrorProperty(json);
    });

    private async Task WriteEventAsync(string type, Action<Utf8JsonWriter> write)
    {
        _buffer.ResetWrittenCount();
        _buffer.Write(Encoding.UTF8.GetBytes($"event: {type}\ndata: "));
        using (var json = new Utf8JsonWriter(_buffer, GatewayJson.WriterOptions))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        _buffer.Write("\n\n"u8);
        await context.Response.Body.WriteAsync(_buffer.WrittenMemory, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}

using System.Text.Json.Nodes;
using Pipeline.Imaging;
using ProviderEmulator.Faults;
using ProviderEmulator.Hosting;
using ProviderEmulator.Ledger;
using ProviderEmulator.Rendering;
using ProviderEmulator.Sse;

namespace ProviderEmulator.OpenAI.Images;

/// <summary>POST /v1/images/generations, POST /v1/images/edits, and the served DALL·E URLs.</summary>
internal static class ImagesEndpoints
{
    public static IEndpointRouteBuilder MapImages(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/images/generations", async (HttpContext context, ImageStudio studio, ImageFileStore files, ImageLedger ledger) =>
            await HandleAsync(context, await ImageRequestReader.ReadGenerationAsync(context.Request), studio, files, ledger));
        routes.MapPost("/v1/images/edits", async (HttpContext context, ImageStudio studio, ImageFileStore files, ImageLedger ledger) =>
            await HandleAsync(context, await ImageRequestReader.ReadEditAsync(context.Request), studio, files, ledger));
        routes.MapGet("/emulator/files/{id}", (string id, ImageFileStore files) =>
            files.TryGet(id, out var bytes, out var mime) ? Results.Bytes(bytes, mime) : Results.NotFound());
        return routes;
    }

    private static async Task HandleAsync(HttpContext context, ImageJob job, ImageStudio studio, ImageFileStore files, ImageLedger ledger)
    {
        var faults = EmulatorRequest.Get(context).Faults;
        if (faults.ContentPolicy)
        {
            throw new ApiErrorException(FaultErrors.ContentPolicyOpenAI(dallE: !job.Model.IsGpt));
        }

        if (job.Stream)
        {
            await StreamAsync(context, job, studio, ledger);
            return;
        }

        var created = EmulatorJson.UnixNow();
        var data = new JsonArray();
        var images = new List<byte[]>(job.N);
        for (var i = 0; i < job.N; i++)
        {
            var bytes = Pad(studio.Final(job.Spec(i)), job.Format, faults);
            images.Add(bytes);
            var item = new JsonObject();
            if (job.ReturnUrl)
            {
                var id = files.Add(bytes, job.Format.ToMimeType(), job.Format.ToExtension());
                item["url"] = $"{context.Request.Scheme}://{context.Request.Host}/emulator/files/{id}";
            }
            else
            {
                item["b64_json"] = Convert.ToBase64String(bytes);
            }

            if (job.Model.IsDallE3)
            {
                item["revised_prompt"] = RevisedPrompt(job.Prompt);
            }

            data.Add(item);
        }

        JsonObject body;
        if (job.Model.IsGpt)
        {
            body = new JsonObject
            {
                ["created"] = created,
                ["background"] = job.Background,
                ["data"] = data,
                ["output_format"] = job.Format.ToOutputFormat(),
                ["quality"] = job.Quality,
                ["size"] = job.Size,
                ["usage"] = Usage(job, job.N),
            };
        }
        else
        {
            body = new JsonObject { ["created"] = created, ["data"] = data };
        }

        await JsonReply.WriteAsync(context, body);
        if (!faults.MalformedJson && !faults.CutStream)
        {
            for (var i = 0; i < images.Count; i++)
            {
                ledger.Record(context, job.User, i, images[i]);
            }
        }
    }

    private static async Task StreamAsync(HttpContext context, ImageJob job, ImageStudio studio, ImageLedger ledger)
    {
        var faults = EmulatorRequest.Get(context).Faults;
        var prefix = job.IsEdit ? "image_edit" : "image_generation";
        var sse = await SseWriter.StartAsync(context);
        for (var image = 0; image < job.N; image++)
        {
            var spec = job.Spec(image);
            for (var index = 0; index < job.PartialImages; index++)
            {
                await sse.PauseAsync();
                var partial = Describe(job, $"{prefix}.partial_image", studio.Partial(spec, index, job.PartialImages));
                partial["partial_image_index"] = index;
                await sse.EventAsync($"{prefix}.partial_image", partial);
                if (await InjectMidStreamAsync(sse, faults))
                {
                    return;
                }
            }

            await sse.PauseAsync();
            if (job.PartialImages == 0 && await InjectMidStreamAsync(sse, faults))
            {
                return;
            }

            var final = Pad(studio.Final(spec), job.Format, faults);
            var completed = Describe(job, $"{prefix}.completed", final);
            completed["usage"] = new JsonObject
            {
                ["total_tokens"] = InputTokens(job) + ImageTokens.Output(job.Quality, job.Width, job.Height),
                ["input_tokens"] = InputTokens(job),
                ["output_tokens"] = ImageTokens.Output(job.Quality, job.Width, job.Height),
                ["input_tokens_details"] = new JsonObject { ["text_tokens"] = ImageTokens.Text(job.Prompt), ["image_tokens"] = job.InputImageCount * ImageTokens.PerInputImage },
            };
            if (faults.MalformedJson)
            {
                await sse.RawEventAsync($"{prefix}.completed", EmulatorJson.Serialize(completed)[..200]);
            }
            else
            {
                await sse.EventAsync($"{prefix}.completed", completed);
                ledger.Record(context, job.User, image, final);
            }
        }
    }

    /// <summary>Mid-stream faults after the first partial: an <c>error</c> event, or a dropped connection. True when the stream ended.</summary>
    private static async Task<bool> InjectMidStreamAsync(SseWriter sse, FaultPlan faults)
    {
        if (faults.CutStream)
        {
            await sse.CutAsync();
            return true;
        }

        if (faults.MidStreamError)
        {
            var error = new ApiError(500, "The server had an error processing your request. Sorry about that! You can retry your request.", Type: "server_error");
            await sse.EventAsync("error", new JsonObject { ["type"] = "error", ["error"] = ErrorWriter.OpenAIErrorObject(error) });
            return true;
        }

        return false;
    }

    private static JsonObject Describe(ImageJob job, string type, byte[] image) => new()
    {
        ["type"] = type,
        ["b64_json"] = Convert.ToBase64String(image),
        ["created_at"] = EmulatorJson.UnixNow(),
        ["size"] = job.Size,
        ["quality"] = job.Quality,
        ["background"] = job.Background,
        ["output_format"] = job.Format.ToOutputFormat(),
    };

    private static JsonObject Usage(ImageJob job, int images)
    {
        var output = ImageTokens.Output(job.Quality, job.Width, job.Height) * images;
        var text = ImageTokens.Text(job.Prompt);
        var imageInput = job.InputImageCount * ImageTokens.PerInputImage;
        return new JsonObject
        {
            ["input_tokens"] = text + imageInput,
            ["input_tokens_details"] = new JsonObject { ["image_tokens"] = imageInput, ["text_tokens"] = text },
            ["output_tokens"] = output,
            ["output_tokens_details"] = new JsonObject { ["image_tokens"] = output, ["text_tokens"] = 0 },
            ["total_tokens"] = text + imageInput + output,
        };
    }

    private static int InputTokens(ImageJob job) => ImageTokens.Text(job.Prompt) + (job.InputImageCount * ImageTokens.PerInputImage);

    private static byte[] Pad(byte[] image, ImageFormat format, FaultPlan faults) =>
        faults.OversizedImageBytes > 0 ? ImagePadding.PadTo(image, format, faults.OversizedImageBytes) : image;

    internal static string RevisedPrompt(string prompt) => $"A detailed, vivid illustration of: {prompt}";
}

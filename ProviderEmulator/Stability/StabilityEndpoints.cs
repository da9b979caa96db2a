using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Imaging;
using ProviderEmulator.Hosting;
using ProviderEmulator.OpenAI.Images;
using ProviderEmulator.Rendering;
using ProviderEmulator.Sse;

namespace ProviderEmulator.Stability;

/// <summary>
/// Stability's synchronous v2beta generation, host-prefixed: <c>POST /api.stability.ai/v2beta/stable-image/generate/{core|sd3|ultra}</c>
/// with multipart/form-data. <c>Accept: application/json</c> → <c>{"image": base64, "finish_reason", "seed"}</c>;
/// <c>Accept: image/*</c> (the default) → the image bytes with <c>finish-reason</c> and <c>seed</c> headers.
/// </summary>
internal static class StabilityEndpoints
{
    private const int MaxPromptChars = 10_000;
    private const long MaxSeed = 4_294_967_294;
    private static readonly string[] Models = ["core", "sd3", "ultra"];
    private static readonly string[] Sd3Models = ["sd3.5-large", "sd3.5-large-turbo", "sd3.5-medium", "sd3.5-flash"];
    private static readonly string[] Formats = ["png", "jpeg", "webp"];

    public static IEndpointRouteBuilder MapStability(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api.stability.ai/v2beta/stable-image/generate/{model}", GenerateAsync);
        return routes;
    }

    private static async Task GenerateAsync(HttpContext context, string model, ImageStudio studio)
    {
        if (!Models.Contains(model, StringComparer.Ordinal))
        {
            throw new ApiErrorException(StabilityErrors.Status(404));
        }
        var accept = context.Request.Headers.Accept.ToString();
        var json = accept.Contains("application/json", StringComparison.OrdinalIgnoreCase);
        if (!json && accept.Length > 0 && !accept.Contains("image/", StringComparison.OrdinalIgnoreCase) && !accept.Contains("*/*", StringComparison.Ordinal))
        {
            throw new ApiErrorException(StabilityErrors.BadRequest($"accept: must be either 'application/json' or 'image/*' (was '{accept}')"));
        }
        if (!context.Request.HasFormContentType)
        {
            throw new ApiErrorException(StabilityErrors.BadRequest("content-type: must be multipart/form-data"));
        }
        var form = await MultipartForm.ReadAsync(context.Request);
        var request = Read(form.Fields, model);
        var faults = EmulatorRequest.Get(context).Faults;
        if (faults.ContentPolicy)
        {
            throw new ApiErrorException(StabilityErrors.ContentModeration());
        }

        var (width, height) = AspectRatios.Size(request.AspectRatio);
        var image = studio.Final(new ImageSpec(request.Prompt + request.NegativePrompt, width, height, request.Seed, false, request.Format, 90));
        if (faults.OversizedImageBytes > 0)
        {
            image = ImagePadding.PadTo(image, request.Format, faults.OversizedImageBytes);
        }
        var seed = request.Seed.ToString(CultureInfo.InvariantCulture);
        if (json)
        {
            await JsonReply.WriteAsync(context, new JsonObject
            {
                ["image"] = Convert.ToBase64String(image),
                ["finish_reason"] = "SUCCESS",
                ["seed"] = request.Seed,
            });
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = request.Format.ToMimeType();
        context.Response.Headers["finish-reason"] = "SUCCESS";
        context.Response.Headers["seed"] = seed;
        context.Response.ContentLength = image.Length;
        if (faults.CutStream)
        {
            await BodyWriter.WriteAsync(context, image.AsMemory(0, image.Length / 2));
            await BodyWriter.CutAsync(context);
            return;
        }
        await BodyWriter.WriteAsync(context, image);
    }

    private static StabilityRequest Read(IReadOnlyDictionary<string, string> fields, string model)
    {
        var prompt = fields.GetValueOrDefault("prompt") ?? "";
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw new ApiErrorException(StabilityErrors.BadRequest("prompt: cannot be empty"));
        }
        if (prompt.Length > MaxPromptChars)
        {
            throw new ApiErrorException(StabilityErrors.BadRequest($"prompt: must be at most {MaxPromptChars} characters"));
        }
        var negative = fields.GetValueOrDefault("negative_prompt") ?? "";
        var ratio = fields.GetValueOrDefault("aspect_ratio") is { Length: > 0 } r ? r : "1:1";
        if (!AspectRatios.Stability.Contains(ratio, StringComparer.Ordinal))
        {
            throw new ApiErrorException(StabilityErrors.BadRequest($"aspect_ratio: must be one of {string.Join(", ", AspectRatios.Stability)}"));
        }
        var formatName = fields.GetValueOrDefault("output_format") is { Length: > 0 } f ? f : "png";
        if (!Formats.Contains(formatName, StringComparer.Ordinal) || !ImageFormats.TryParse(formatName, out var format))
        {
            throw new ApiErrorException(StabilityErrors.BadRequest($"output_format: must be one of {string.Join(", ", Formats)}"));
        }
        long seed = 0;
        if (fields.GetValueOrDefault("seed") is { Length: > 0 } seedText
            && (!long.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out seed) || seed > MaxSeed))
        {
            throw new ApiErrorException(StabilityErrors.BadRequest($"seed: must be an integer from 0 to {MaxSeed}"));
        }
        if (model == "sd3" && fields.GetValueOrDefault("model") is { Length: > 0 } sd3Model && !Sd3Models.Contains(sd3Model, StringComparer.Ordinal))
        {
            throw new ApiErrorException(StabilityErrors.BadRequest($"model: must be one of {string.Join(", ", Sd3Models)}"));
        }
        return new StabilityRequest(prompt, negative, ratio, format, seed == 0 ? SeedOf(prompt) : seed);
    }

    /// <summary>Seed 0 means "random"; the emulator draws it from the prompt so equal requests give equal images.</summary>
    internal static long SeedOf(string prompt) => 1 + (BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(prompt))) % MaxSeed);

    private sealed record StabilityRequest(string Prompt, string NegativePrompt, string AspectRatio, ImageFormat Format, long Seed);
}

using System.Text.Json.Nodes;
using Pipeline.Imaging;

namespace ProviderEmulator.OpenAI.Responses;

/// <summary>The <c>image_generation</c> tool of a Responses request, defaults filled.</summary>
internal sealed record ImageTool
{
    public string Model { get; init; } = "gpt-image-1";

    public string Quality { get; init; } = "auto";

    public string Size { get; init; } = "auto";

    public ImageFormat Format { get; init; } = ImageFormat.Png;

    public int Compression { get; init; } = 100;

    public string Background { get; init; } = "auto";

    public string Moderation { get; init; } = "auto";

    public int PartialImages { get; init; }

    public string? InputFidelity { get; init; }

    public string? Action { get; init; }

    public string ConcreteQuality => Quality == "auto" ? "high" : Quality;

    public string ConcreteSize => Size == "auto" ? "1024x1024" : Size;

    public string ConcreteBackground => Background == "transparent" ? "transparent" : "opaque";

    public (int Width, int Height) Dimensions => ConcreteSize switch
    {
        "1536x1024" => (1536, 1024),
        "1024x1536" => (1024, 1536),
        _ => (1024, 1024),
    };

    /// <summary>The tool as the response echoes it, with defaults filled.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["type"] = "image_generation",
            ["background"] = Background,
            ["model"] = Model,
            ["moderation"] = Moderation,
            ["n"] = 1,
            ["output_compression"] = Compression,
            ["output_format"] = Format.ToOutputFormat(),
            ["partial_images"] = PartialImages,
            ["quality"] = Quality,
            ["size"] = Size,
        };
        if (InputFidelity is not null)
        {
            json["input_fidelity"] = InputFidelity;
        }

        if (Action is not null)
        {
            json["action"] = Action;
        }

        return json;
    }
}

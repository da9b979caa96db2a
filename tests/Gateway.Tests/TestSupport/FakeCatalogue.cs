using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.Tests.TestSupport;

/// <summary>The fake router's catalogue: a few configs shaped like the real one's (names, operations, localized texts).</summary>
internal static class FakeCatalogue
{
    public const string GermanDisplayName = "GPT Image 1 mit Live-Vorschau";

    public static ListConfigsResponse Create()
    {
        var response = new ListConfigsResponse();
        response.Configs.Add(Config("gemini-2.5-flash-image", "openrouter", "google/gemini-2.5-flash-image", "chat",
            ("en", "Gemini 2.5 Flash Image", "Google's image model via OpenRouter."), ("de", "Gemini 2.5 Flash Bild", "Googles Bildmodell über OpenRouter."),
            partials: 0));
        response.Configs.Add(Config("gpt-image-1", "openai", "gpt-image-1", "generate",
            ("en", "GPT Image 1", "Balanced defaults."), ("de", "GPT Image 1", "Ausgewogene Standardwerte."), partials: 0));
        response.Configs.Add(Config("gpt-image-1_edit", "openai", "gpt-image-1", "edit",
            ("en", "GPT Image 1 edit", "Edits images."), ("de", "GPT Image 1 Bearbeitung", "Bearbeitet Bilder."), partials: 0));
        response.Configs.Add(Config("gpt-image-1_highquality", "openai", "gpt-image-1", "generate",
            ("en", "GPT Image 1 high quality", "High quality, portrait."), ("de", "GPT Image 1 hohe Qualität", "Hohe Qualität, Hochformat."),
            partials: 0, quality: "high", size: "1024x1536"));
        response.Configs.Add(Config("gpt-image-1_responses", "openai", "gpt-image-1", "responses",
            ("en", "GPT Image 1 with live previews", "Streams previews while it draws."), ("de", GermanDisplayName, "Zeigt Vorschauen, während es zeichnet."),
            partials: 2));
        var modes = new ModeDefaults();
        modes.Modes.Add(new Dictionary<string, string> { ["fast"] = "gpt-image-1", ["stream"] = "gpt-image-1_responses", ["edit"] = "gpt-image-1_edit" });
        response.Defaults["image"] = modes;
        return response;
    }

    /// <summary>A copy with names and descriptions in <paramref name="language"/> (English when it has none), as the router localizes.</summary>
    public static ListConfigsResponse Localize(ListConfigsResponse catalogue, string? language)
    {
        var primary = (language ?? "").Split('-')[0].ToLowerInvariant();
        var copy = catalogue.Clone();
        foreach (var config in copy.Configs)
        {
            config.DisplayName = config.Names.TryGetValue(primary, out var name) ? name : config.Names["en"];
            config.Description = config.Descriptions.TryGetValue(primary, out var description) ? description : config.Descriptions["en"];
        }
        return copy;
    }

    private static ConfigInfo Config(string name, string provider, string model, string operation,
        (string Language, string Name, string Description) english, (string Language, string Name, string Description) german,
        int partials, string quality = "auto", string size = "1024x1024")
    {
        var config = new ConfigInfo
        {
            Name = name,
            DisplayName = english.Name,
            Description = english.Description,
            Category = "photo",
            MediaType = "image",
            Chunk = "output_image_" + name,
            Provider = provider,
            Model = model,
            Operation = operation,
            Parameters = new Struct(),
            TimeoutSeconds = 300,
        };
        config.Parameters.Fields["size"] = Value.ForString(size);
        config.Parameters.Fields["quality"] = Value.ForString(quality);
        config.Parameters.Fields["background"] = Value.ForString("auto");
        config.Parameters.Fields["output_format"] = Value.ForString("png");
        config.Parameters.Fields["partial_images"] = Value.ForNumber(partials);
        config.Names.Add(english.Language, english.Name);
        config.Names.Add(german.Language, german.Name);
        config.Descriptions.Add(english.Language, english.Description);
        config.Descriptions.Add(german.Language, german.Description);
        return config;
    }
}

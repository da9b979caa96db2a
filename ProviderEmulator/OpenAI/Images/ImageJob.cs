using Pipeline.Imaging;
using ProviderEmulator.Rendering;

namespace ProviderEmulator.OpenAI.Images;

/// <summary>A validated Images API request with every default resolved.</summary>
internal sealed record ImageJob
{
    public required ImageModel Model { get; init; }

    public required string Prompt { get; init; }

    public required bool IsEdit { get; init; }

    public int N { get; init; } = 1;

    public required int Width { get; init; }

    public required int Height { get; init; }

    /// <summary>Concrete quality as echoed back (auto resolved).</summary>
    public required string Quality { get; init; }

    /// <summary>Concrete background (auto resolved to opaque).</summary>
    public string Background { get; init; } = "opaque";

    public ImageFormat Format { get; init; } = ImageFormat.Png;

    public int Compression { get; init; } = 100;

    /// <summary>DALL·E <c>response_format=url</c>.</summary>
    public bool ReturnUrl { get; init; }

    public bool Stream { get; init; }

    public int PartialImages { get; init; }

    public EditInput? Edit { get; init; }

    public int InputImageCount { get; init; }

    /// <summary>The <c>user</c> field: Pipeline's adapters send the run id there (the image ledger records it).</summary>
    public string? User { get; init; }

    public string Size => $"{Width}x{Height}";

    public ImageSpec Spec(int index) =>
        new(Prompt, Width, Height, index, Background == "transparent", Format, Compression, Edit);
}

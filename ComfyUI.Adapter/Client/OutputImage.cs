namespace ComfyUI.Adapter.Client;

/// <summary>An image an output node saved, as ComfyUI's history lists it; fetched with <c>GET /view</c>.</summary>
/// <param name="Filename">e.g. "ComfyUI_00001_.png".</param>
/// <param name="Subfolder">Below the output folder; usually "".</param>
/// <param name="Type">"output" (SaveImage) or "temp" (PreviewImage).</param>
internal sealed record OutputImage(string Filename, string Subfolder, string Type)
{
    /// <summary>The relative <c>view</c> URL of this image.</summary>
    public string ViewUrl =>
        $"view?filename={Uri.EscapeDataString(Filename)}&subfolder={Uri.EscapeDataString(Subfolder)}&type={Uri.EscapeDataString(Type)}";
}

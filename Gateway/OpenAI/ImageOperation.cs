namespace Gateway.OpenAI;

/// <summary>Which OpenAI images endpoint a request came to.</summary>
public enum ImageOperation
{
    /// <summary><c>POST /v1/images/generations</c>: text to image.</summary>
    Generations,

    /// <summary><c>POST /v1/images/edits</c>: images (and a mask) plus text to image.</summary>
    Edits,
}

/// <summary>Names the endpoints use on the wire.</summary>
public static class ImageOperationNames
{
    /// <summary>The SSE event prefix: <c>image_generation</c> or <c>image_edit</c>.</summary>
    public static string EventPrefix(this ImageOperation operation) => operation == ImageOperation.Generations ? "image_generation" : "image_edit";

    /// <summary>Config operations (catalogue <c>operation</c>) that serve the endpoint: edits need one that takes input images.</summary>
    public static IReadOnlyList<string> ConfigOperations(this ImageOperation operation) => operation == ImageOperation.Generations
        ? ["generate", "responses", "chat"]
        : ["edit", "responses", "chat"];

    /// <summary>The router's default mode when no model is named.</summary>
    public static string DefaultMode(this ImageOperation operation) => operation == ImageOperation.Generations ? "fast" : "edit";
}

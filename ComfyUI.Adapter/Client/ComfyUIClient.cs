using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Providers;

namespace ComfyUI.Adapter.Client;

/// <summary>ComfyUI's HTTP API, relative to the typed client's BaseAddress (<c>ComfyUI:BaseUrl</c>).</summary>
internal sealed class ComfyUIClient(HttpClient http)
{
    /// <summary><c>POST /prompt {"prompt", "client_id"}</c> → the prompt id. 400 → InvalidRequest naming node and input.</summary>
    public async Task<string> QueueAsync(JsonObject workflow, string clientId, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["prompt"] = workflow.DeepClone(), ["client_id"] = clientId };
        using var response = await PostAsync("prompt", body, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.BadRequest)
        {
            throw ComfyUIErrors.FromRejectedPrompt(await response.Content.ReadAsStringAsync(cancellationToken), 400);
        }
        if (!response.IsSuccessStatusCode)
        {
            throw await ProviderErrors.FromResponseAsync(response, cancellationToken);
        }
        var reply = await ReadObjectAsync(response, "POST /prompt", cancellationToken);
        return reply["prompt_id"] is JsonValue id && id.TryGetValue<string>(out var promptId) && promptId.Length > 0
            ? promptId
            : throw new ProviderException(ProviderFailureKind.MalformedResponse, "ComfyUI's reply to POST /prompt has no prompt_id.");
    }

    /// <summary>
    /// <c>GET /history/{prompt_id}</c> → the images of <paramref name="node"/> (every output node's, in order, when null).
    /// None → MalformedResponse naming the node.
    /// </summary>
    public async Task<IReadOnlyList<OutputImage>> GetOutputImagesAsync(string promptId, string? node, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"history/{Uri.EscapeDataString(promptId)}", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ProviderErrors.FromResponseAsync(response, cancellationToken);
        }
        var history = await ReadObjectAsync(response, "GET /history", cancellationToken);
        var outputs = history[promptId]?["outputs"] as JsonObject;
        var images = new List<OutputImage>();
        foreach (var (id, output) in outputs ?? [])
        {
            if (node is null || id == node)
            {
                images.AddRange((output?["images"] as JsonArray ?? []).Select(ToImage));
            }
        }
        if (images.Count == 0)
        {
            var listed = outputs is null ? "no outputs" : $"outputs from node(s) {string.Join(", ", outputs.Select(o => o.Key))}";
            throw new ProviderException(ProviderFailureKind.MalformedResponse,
                $"ComfyUI's history of prompt {promptId} has no images from {(node is null ? "any output node" : $"node {node}")} ({listed}).",
                providerRequestId: promptId);
        }
        return images;
    }

    /// <summary><c>GET /view?filename=…&amp;subfolder=…&amp;type=…</c>: the image's bytes, at most <paramref name="maxBytes"/>.</summary>
    public async Task<byte[]> ViewAsync(OutputImage image, long maxBytes, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(image.ViewUrl, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ProviderErrors.FromResponseAsync(response, cancellationToken);
        }
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw TooLarge(image, response.Content.Headers.ContentLength.Value, maxBytes);
        }
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return bytes.Length <= maxBytes ? bytes : throw TooLarge(image, bytes.Length, maxBytes);
    }

    /// <summary><c>POST /queue {"delete": [prompt_id]}</c>: takes a prompt that has not started off the queue.</summary>
    public async Task DeleteQueuedAsync(string promptId, CancellationToken cancellationToken)
    {
        using var response = await PostAsync("queue", new JsonObject { ["delete"] = new JsonArray(promptId) }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary><c>POST /interrupt {"prompt_id"}</c>: stops the prompt if it is the one running (ComfyUI ignores it otherwise).</summary>
    public async Task InterruptAsync(string promptId, CancellationToken cancellationToken)
    {
        using var response = await PostAsync("interrupt", new JsonObject { ["prompt_id"] = promptId }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private async Task<HttpResponseMessage> PostAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await http.PostAsync(path, content, cancellationToken);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject
            ?? throw new ProviderException(ProviderFailureKind.MalformedResponse, $"ComfyUI's reply to {call} is not a JSON object.");

    private static OutputImage ToImage(JsonNode? image) => new(
        image?["filename"]?.GetValue<string>() ?? throw new ProviderException(ProviderFailureKind.MalformedResponse, "ComfyUI's history lists an image without a filename."),
        image["subfolder"]?.GetValue<string>() ?? "",
        image["type"]?.GetValue<string>() ?? "output");

    private static ProviderException TooLarge(OutputImage image, long bytes, long maxBytes) => new(ProviderFailureKind.MalformedResponse,
        $"ComfyUI's image {image.Filename} is {bytes} bytes, more than the image cap of {maxBytes} bytes.");
}

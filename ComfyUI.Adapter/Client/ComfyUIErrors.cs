using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Providers;

namespace ComfyUI.Adapter.Client;

/// <summary>ComfyUI's failures as <see cref="ProviderException"/>s, naming the node, its class and the input.</summary>
internal static class ComfyUIErrors
{
    private const int MaxTextLength = 300;

    /// <summary>
    /// A 400 from <c>POST /prompt</c>: <c>{"error": {type, message, details}, "node_errors": {"3": {"errors": [{message,
    /// details, extra_info: {input_name}}], "class_type": "KSampler"}}}</c> → InvalidRequest, e.g. "node 3 (KSampler) input
    /// 'steps': Value 0 smaller than min of 1". Param is the first failing input's workflow path (3.inputs.steps).
    /// </summary>
    public static ProviderException FromRejectedPrompt(string body, int status)
    {
        JsonObject? root = null;
        try
        {
            root = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            // Not ComfyUI's JSON: the body text is the message.
        }
        var error = root?["error"];
        var code = error is JsonObject e ? Text(e["type"]) : null;
        var (nodes, param) = DescribeNodeErrors(root?["node_errors"] as JsonObject);
        var summary = nodes ?? DescribeError(error) ?? Excerpt(body);
        return new ProviderException(ProviderFailureKind.InvalidRequest, $"ComfyUI rejected the workflow: {summary}", providerCode: code, httpStatus: status)
        {
            Param = param,
        };
    }

    /// <summary>An <c>execution_error</c> message → Unavailable naming the node, its class and the exception.</summary>
    public static ProviderException FromExecutionError(JsonObject data)
    {
        var type = Text(data["exception_type"]);
        var message = Excerpt(Text(data["exception_message"]) ?? "no message");
        return new ProviderException(ProviderFailureKind.Unavailable,
            $"ComfyUI failed at node {Text(data["node_id"]) ?? "?"} ({Text(data["node_type"]) ?? "?"}): {(type is null ? "" : type + ": ")}{message}",
            providerCode: type ?? "execution_error", providerRequestId: Text(data["prompt_id"]));
    }

    /// <summary>An <c>execution_interrupted</c> this call did not ask for (someone else stopped the prompt) → Unavailable.</summary>
    public static ProviderException FromInterruption(JsonObject data) => new(ProviderFailureKind.Unavailable,
        $"ComfyUI's run was interrupted at node {Text(data["node_id"]) ?? "?"} ({Text(data["node_type"]) ?? "?"}) by someone else.",
        providerCode: "execution_interrupted", providerRequestId: Text(data["prompt_id"]));

    private static (string? Summary, string? Param) DescribeNodeErrors(JsonObject? nodeErrors)
    {
        if (nodeErrors is null || nodeErrors.Count == 0)
        {
            return (null, null);
        }
        var text = new StringBuilder();
        string? param = null;
        foreach (var (nodeId, node) in nodeErrors)
        {
            var classType = Text(node?["class_type"]) ?? "?";
            foreach (var error in node?["errors"] as JsonArray ?? [])
            {
                var input = Text(error?["extra_info"]?["input_name"]);
                param ??= input is null ? null : $"{nodeId}.inputs.{input}";
                if (text.Length > 0)
                {
                    text.Append("; ");
                }
                text.Append("node ").Append(nodeId).Append(" (").Append(classType).Append(')');
                if (input is not null)
                {
                    text.Append(" input '").Append(input).Append('\'');
                }
                text.Append(": ").Append(Text(error?["message"]) ?? "invalid");
                if (Text(error?["details"]) is { Length: > 0 } details && details != input)
                {
                    text.Append(" (").Append(Excerpt(details)).Append(')');
                }
            }
        }
        return (text.Length == 0 ? null : text.ToString(), param);
    }

    private static string? DescribeError(JsonNode? error) => error switch
    {
        JsonObject obj when Text(obj["message"]) is { } message =>
            Text(obj["details"]) is { Length: > 0 } details ? $"{message} ({Excerpt(details)})" : message,
        JsonValue value => Text(value),
        _ => null,
    };

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Excerpt(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= MaxTextLength ? trimmed : trimmed[..MaxTextLength] + "…";
    }
}

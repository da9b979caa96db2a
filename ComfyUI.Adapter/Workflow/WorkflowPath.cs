using System.Text.Json.Nodes;
using Pipeline.Providers;

namespace ComfyUI.Adapter.Workflow;

/// <summary>
/// A field path into a workflow, <c>{node id}.inputs.{name}</c> (e.g. <c>3.inputs.steps</c>): the node must exist, objects
/// below it are created as needed.
/// </summary>
internal sealed record WorkflowPath(string NodeId, IReadOnlyList<string> Keys)
{
    public static WorkflowPath Parse(string field, string parameter)
    {
        var parts = field.Split('.');
        if (parts.Length < 2 || parts.Any(p => p.Length == 0))
        {
            throw InvalidChunk($"maps '{parameter}' to '{field}'; a workflow field is '{{node id}}.inputs.{{name}}', e.g. '3.inputs.steps'");
        }
        return new WorkflowPath(parts[0], parts[1..]);
    }

    public override string ToString() => $"{NodeId}.{string.Join('.', Keys)}";

    /// <summary>The value at this path, or null when the template has none.</summary>
    public JsonNode? Read(JsonObject workflow)
    {
        JsonNode? current = workflow[NodeId];
        foreach (var key in Keys)
        {
            current = current is JsonObject obj ? obj[key] : null;
        }
        return current;
    }

    /// <summary>Writes <paramref name="value"/> at this path, replacing what the template had.</summary>
    public void Write(JsonObject workflow, JsonNode value, string parameter)
    {
        if (workflow[NodeId] is not JsonObject current)
        {
            throw InvalidChunk($"maps '{parameter}' to '{this}', but the workflow has no node '{NodeId}'");
        }
        for (var i = 0; i < Keys.Count - 1; i++)
        {
            if (current[Keys[i]] is not JsonObject next)
            {
                next = [];
                current[Keys[i]] = next;
            }
            current = next;
        }
        current[Keys[^1]] = value;
    }

    private static ProviderException InvalidChunk(string detail) =>
        new(ProviderFailureKind.InvalidRequest, $"The chunk's input_mappings {detail}.");
}

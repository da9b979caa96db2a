using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProviderEmulator.ComfyUI;

/// <summary>The outcome of <see cref="WorkflowValidator.Validate"/>.</summary>
/// <param name="Error">ComfyUI's <c>error</c> object, or null when the workflow is valid.</param>
/// <param name="NodeErrors">node id → {errors, dependent_outputs, class_type}.</param>
/// <param name="Outputs">The output nodes' ids (SaveImage, PreviewImage).</param>
internal sealed record ValidationResult(JsonObject? Error, JsonObject NodeErrors, IReadOnlyList<string> Outputs)
{
    /// <summary>The 400 body ComfyUI sends: <c>{"error": …, "node_errors": …}</c>.</summary>
    public JsonObject Body => new() { ["error"] = Error?.DeepClone(), ["node_errors"] = NodeErrors.DeepClone() };
}

/// <summary>
/// Checks an API-format workflow as ComfyUI's <c>validate_prompt</c> does, with its error types and messages: a node without
/// class_type or of an unknown class (<c>invalid_prompt</c>), no output node (<c>prompt_no_outputs</c>), and per node
/// (<c>prompt_outputs_failed_validation</c> with node_errors): missing inputs, bad links, values of the wrong type, out of
/// range or not in the list. Stricter than ComfyUI in one way: an input the node does not declare is an error
/// (<c>invalid_input</c>), so a chunk whose mapping names a wrong input is caught.
/// </summary>
internal static class WorkflowValidator
{
    private const string BadLink = "Bad linked input, must be a length-2 list of [node_id, slot_index]";

    public static ValidationResult Validate(JsonObject prompt)
    {
        foreach (var (id, node) in prompt)
        {
            if (ClassOf(node) is not { } name)
            {
                return Rejected(PromptError("invalid_prompt", "Cannot execute because a node is missing the class_type property.", $"Node ID '#{id}'"));
            }
            if (NodeCatalog.Find(name) is null)
            {
                return Rejected(PromptError("invalid_prompt", $"Cannot execute because node {name} does not exist.", $"Node ID '#{id}'"));
            }
        }
        var outputs = prompt.Where(n => NodeCatalog.Find(ClassOf(n.Value)!)!.IsOutput).Select(n => n.Key).ToList();
        if (outputs.Count == 0)
        {
            return Rejected(PromptError("prompt_no_outputs", "Prompt has no outputs", ""));
        }
        var nodeErrors = new JsonObject();
        foreach (var (id, node) in prompt)
        {
            var nodeClass = NodeCatalog.Find(ClassOf(node)!)!;
            var errors = CheckInputs(prompt, nodeClass, node!["inputs"] as JsonObject ?? []);
            if (errors.Count > 0)
            {
                nodeErrors[id] = new JsonObject
                {
                    ["errors"] = errors,
                    ["dependent_outputs"] = new JsonArray([.. outputs.Select(o => (JsonNode)o)]),
                    ["class_type"] = nodeClass.Name,
                };
            }
        }
        var error = nodeErrors.Count == 0 ? null : PromptError("prompt_outputs_failed_validation", "Prompt outputs failed validation", "");
        return new ValidationResult(error, nodeErrors, outputs);
    }

    /// <summary>A node's class_type, or null.</summary>
    public static string? ClassOf(JsonNode? node) =>
        node is JsonObject obj && obj["class_type"] is JsonValue value && value.TryGetValue<string>(out var name) ? name : null;

    private static JsonArray CheckInputs(JsonObject prompt, NodeClass nodeClass, JsonObject inputs)
    {
        var errors = new JsonArray();
        foreach (var declared in nodeClass.Inputs.Where(i => !inputs.ContainsKey(i.Name)))
        {
            errors.Add(InputError("required_input_missing", "Required input is missing", declared.Name, declared.Name, null));
        }
        foreach (var (name, value) in inputs)
        {
            if (nodeClass.Find(name) is not { } declared)
            {
                errors.Add(InputError("invalid_input", $"Input '{name}' is not declared by {nodeClass.Name}", name, name, value));
            }
            else if (value is JsonArray link)
            {
                if (!IsLink(prompt, link))
                {
                    errors.Add(InputError("bad_linked_input", BadLink, name, name, value));
                }
            }
            else if (CheckValue(declared, value) is { } error)
            {
                errors.Add(error);
            }
        }
        return errors;
    }

    private static JsonObject? CheckValue(NodeInput input, JsonNode? value)
    {
        var name = input.Name;
        switch (input.Kind)
        {
            case InputKind.Link:
                return InputError("bad_linked_input", BadLink, name, name, value);
            case InputKind.Int or InputKind.Float:
                var type = input.Kind == InputKind.Int ? "INT" : "FLOAT";
                if (value is not JsonValue number || number.GetValueKind() != JsonValueKind.Number
                    || (input.Kind == InputKind.Int && number.GetValue<double>() % 1 != 0))
                {
                    return InputError("invalid_input_type", $"Failed to convert an input value to a {type} value", $"{name}, {value?.ToJsonString()}", name, value);
                }
                var v = number.GetValue<double>();
                if (v < input.Min)
                {
                    return InputError("value_smaller_than_min", $"Value {Format(v)} smaller than min of {Format(input.Min)}", name, name, value);
                }
                return v > input.Max
                    ? InputError("value_bigger_than_max", $"Value {Format(v)} bigger than max of {Format(input.Max)}", name, name, value)
                    : null;
            case InputKind.Choice:
                return value is JsonValue choice && choice.TryGetValue<string>(out var text) && input.Choices!.Contains(text)
                    ? null
                    : InputError("value_not_in_list", "Value not in list", $"{name}: {value?.ToJsonString()} not in ['{string.Join("', '", input.Choices!)}']", name, value);
            default:
                return value is JsonValue s && s.TryGetValue<string>(out _)
                    ? null
                    : InputError("invalid_input_type", "Failed to convert an input value to a STRING value", $"{name}, {value?.ToJsonString()}", name, value);
        }
    }

    private static bool IsLink(JsonObject prompt, JsonArray link) =>
        link.Count == 2 && link[0] is JsonValue id && id.TryGetValue<string>(out var node) && prompt.ContainsKey(node)
        && link[1] is JsonValue slot && slot.GetValueKind() == JsonValueKind.Number;

    private static JsonObject InputError(string type, string message, string details, string input, JsonNode? received) => new()
    {
        ["type"] = type,
        ["message"] = message,
        ["details"] = details,
        ["extra_info"] = new JsonObject { ["input_name"] = input, ["received_value"] = received?.DeepClone() },
    };

    private static JsonObject PromptError(string type, string message, string details) => new()
    {
        ["type"] = type,
        ["message"] = message,
        ["details"] = details,
        ["extra_info"] = new JsonObject(),
    };

    private static ValidationResult Rejected(JsonObject error) => new(error, [], []);

    private static string Format(double value) => value.ToString(value % 1 == 0 ? "0" : "R", CultureInfo.InvariantCulture);
}

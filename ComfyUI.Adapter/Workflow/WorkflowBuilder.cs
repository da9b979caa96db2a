using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace ComfyUI.Adapter.Workflow;

/// <summary>
/// Writes a call's parameters into a copy of its chunk's workflow, by input_mappings: each parameter's value (see
/// <see cref="ParameterValues"/>), else the mapping's "default", else — for "seed" — a seed drawn from 0 to 2^32-1; with
/// none of these the template's value stays. Values keep their JSON types (an integral number stays an integer).
/// </summary>
internal static class WorkflowBuilder
{
    /// <summary>The only output_mapping type a workflow has: the images an output node saved.</summary>
    public const string OutputType = "comfyui_images";

    /// <summary>Largest seed drawn when a call gives none (ComfyUI accepts up to 2^64-1; 2^32-1 suits every sampler).</summary>
    public const long MaxDrawnSeed = uint.MaxValue;

    public static BuiltWorkflow Build(ProviderRequest request, Func<long> drawSeed)
    {
        ArgumentNullException.ThrowIfNull(request);
        var chunk = request.Chunk;
        var workflow = ToJson(chunk.Workflow);
        var values = new ParameterValues(request);
        var effective = new JsonObject();
        foreach (var (name, mapping) in ToJson(chunk.InputMappings))
        {
            var path = WorkflowPath.Parse(FieldOf(name, mapping), name);
            var value = values.Find(name) ?? mapping?["default"]?.DeepClone() ?? (name == "seed" ? JsonValue.Create(drawSeed()) : null);
            if (value is not null)
            {
                path.Write(workflow, value, name);
            }
            if (name != "prompt" && path.Read(workflow) is { } sent)
            {
                effective[name] = sent.DeepClone();
            }
        }
        return new BuiltWorkflow(workflow, effective, OutputNode(chunk.OutputMapping));
    }

    /// <summary>A seed from 0 to <see cref="MaxDrawnSeed"/>.</summary>
    public static long DrawSeed() => Random.Shared.NextInt64(0, MaxDrawnSeed + 1);

    /// <summary>The effective parameters as the proto's Struct.</summary>
    public static Struct ToStruct(JsonObject parameters) => JsonParser.Default.Parse<Struct>(parameters.ToJsonString());

    private static string FieldOf(string name, JsonNode? mapping) =>
        mapping is JsonObject obj && obj["field"] is JsonValue field && field.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new ProviderException(ProviderFailureKind.InvalidRequest,
                $"The chunk's input_mappings entry '{name}' has no \"field\"; give a workflow path such as \"3.inputs.steps\".");

    private static string? OutputNode(Struct? mapping)
    {
        if (mapping is null || mapping.Fields.Count == 0)
        {
            return null;
        }
        if (mapping.Fields.TryGetValue("type", out var type) && type.StringValue != OutputType)
        {
            throw new ProviderException(ProviderFailureKind.InvalidRequest,
                $"The chunk's output_mapping type is '{type.StringValue}'; a ComfyUI workflow's output is read as '{OutputType}'.");
        }
        return mapping.Fields.TryGetValue("node", out var node) && node.KindCase == Value.KindOneofCase.StringValue && node.StringValue.Length > 0
            ? node.StringValue
            : null;
    }

    private static JsonObject ToJson(Struct? value) =>
        value is null ? [] : JsonNode.Parse(JsonFormatter.Default.Format(value))?.AsObject() ?? [];
}

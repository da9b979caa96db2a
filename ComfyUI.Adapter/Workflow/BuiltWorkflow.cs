using System.Text.Json.Nodes;

namespace ComfyUI.Adapter.Workflow;

/// <summary>A chunk's workflow with the call's parameters written into its node inputs.</summary>
/// <param name="Prompt">The API-format workflow to queue (node id → {class_type, inputs}); a copy, never the chunk's.</param>
/// <param name="EffectiveParameters">Every mapped parameter except the prompt, with the value sent (drawn seed included).</param>
/// <param name="OutputNode">The node whose images are the result (output_mapping.node), or null for every output node.</param>
internal sealed record BuiltWorkflow(JsonObject Prompt, JsonObject EffectiveParameters, string? OutputNode);

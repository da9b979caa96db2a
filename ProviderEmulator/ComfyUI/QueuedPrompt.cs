using System.Text.Json.Nodes;
using ProviderEmulator.Faults;

namespace ProviderEmulator.ComfyUI;

/// <summary>A prompt on the emulator's queue: the workflow as posted, what it makes, its client and its faults.</summary>
internal sealed class QueuedPrompt
{
    public required string Id { get; init; }

    public required long Number { get; init; }

    public required string ClientId { get; init; }

    public required JsonObject Workflow { get; init; }

    public required WorkflowJob Job { get; init; }

    public required IReadOnlyList<string> Outputs { get; init; }

    /// <summary>The faults of the <c>POST /prompt</c> request (mid-stream-error, cut-stream, partial-delay act on the run).</summary>
    public required FaultPlan Faults { get; init; }

    /// <summary>Cancelled by <c>POST /interrupt</c>.</summary>
    public CancellationTokenSource Interrupt { get; } = new();

    /// <summary>Set by <c>POST /queue {"delete"}</c> before the prompt started: it never runs.</summary>
    public bool Deleted { get; set; }

    /// <summary>The queue item as ComfyUI lists it: <c>[number, prompt_id, prompt, extra_data, outputs_to_execute]</c>.</summary>
    public JsonArray ToQueueItem() => new(
        Number, Id, Workflow.DeepClone(), new JsonObject { ["client_id"] = ClientId }, new JsonArray([.. Outputs.Select(o => (JsonNode)o)]));
}

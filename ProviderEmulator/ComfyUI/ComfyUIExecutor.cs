using System.Text.Json.Nodes;
using ProviderEmulator.Rendering;

namespace ProviderEmulator.ComfyUI;

/// <summary>
/// Runs one prompt as ComfyUI does, messaging its client: execution_start, execution_cached, executing per node, progress
/// per sampler step with JPEG previews rendered coarse to fine, executed per output node, execution_success, then
/// executing with node null once the history is written. An interrupt ends it with execution_interrupted; the
/// <c>mid-stream-error</c> fault with execution_error and <c>cut-stream</c> with a dropped socket, both after the first preview.
/// </summary>
internal sealed class ComfyUIExecutor(ImageStudio studio, ComfyUIEmulatorOptions options, ComfyUISockets sockets, ComfyUIHistory history, TimeProvider time)
{
    /// <summary>The longest a run's sampling takes, however many steps: steps get shorter beyond it.</summary>
    public static readonly TimeSpan MaxSampling = TimeSpan.FromSeconds(30);

    public async Task RunAsync(QueuedPrompt prompt, CancellationToken stopping)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(prompt.Interrupt.Token, stopping);
        var messages = new JsonArray();
        var outputs = new JsonObject();
        var files = new List<(string, string)>();
        var executed = new JsonArray();
        string? node = null;
        var status = "success";
        await SendAsync(prompt, "execution_start", Stamped(prompt), messages);
        await SendAsync(prompt, "execution_cached", Stamped(prompt, ("nodes", new JsonArray())), messages);
        try
        {
            foreach (var id in prompt.Job.Order)
            {
                node = id;
                await sockets.SendAsync(prompt.ClientId, "executing", Data(prompt, ("node", id), ("display_node", id)));
                if (id == prompt.Job.SamplerNode)
                {
                    await SampleAsync(prompt, id, run.Token);
                }
                else if (prompt.Outputs.Contains(id))
                {
                    outputs[id] = await SaveAsync(prompt, id, files);
                }
                executed.Add(id);
            }
            await SendAsync(prompt, "execution_success", Stamped(prompt), messages);
        }
        catch (OperationCanceledException) when (prompt.Interrupt.IsCancellationRequested)
        {
            status = "error";
            await SendAsync(prompt, "execution_interrupted",
                Stamped(prompt, ("node_id", node), ("node_type", ClassOf(prompt, node)), ("executed", executed.DeepClone())), messages);
        }
        catch (InjectedFailure)
        {
            status = "error";
            await SendAsync(prompt, "execution_error", Stamped(prompt,
                ("node_id", node), ("node_type", ClassOf(prompt, node)), ("executed", executed.DeepClone()),
                ("exception_message", "Allocation on device would exceed allowed memory. (out of memory)"),
                ("exception_type", "torch.OutOfMemoryError"), ("traceback", new JsonArray("  File \"execution.py\", line 496, in execute\n")),
                ("current_inputs", new JsonObject()), ("current_outputs", new JsonObject())), messages);
        }
        history.Add(prompt.Id, HistoryEntry(prompt, outputs, status, messages), files);
        await sockets.SendAsync(prompt.ClientId, "executing", Data(prompt, ("node", null), ("display_node", null)));
    }

    private async Task SampleAsync(QueuedPrompt prompt, string node, CancellationToken cancellationToken)
    {
        var job = prompt.Job;
        var step = options.StepTime(prompt.Faults.PartialDelay);
        if (step * job.Steps > MaxSampling)
        {
            step = MaxSampling / job.Steps;
        }
        var previews = Math.Min(options.PreviewCount, job.Steps);
        var preview = 0;
        for (var value = 1; value <= job.Steps; value++)
        {
            await Task.Delay(step, time, cancellationToken);
            await sockets.SendAsync(prompt.ClientId, "progress", Data(prompt, ("value", value), ("max", job.Steps), ("node", node)));
            if (preview < previews && value >= job.PreviewStep(preview, previews))
            {
                await sockets.SendPreviewAsync(prompt.ClientId, studio.Partial(job.Preview(), preview, previews));
                preview++;
                if (prompt.Faults.MidStreamError)
                {
                    throw new InjectedFailure();
                }
                if (prompt.Faults.CutStream)
                {
                    sockets.Cut(prompt.ClientId);
                    throw new InjectedFailure();
                }
            }
        }
    }

    private async Task<JsonObject> SaveAsync(QueuedPrompt prompt, string node, List<(string, string)> files)
    {
        var save = WorkflowValidator.ClassOf(prompt.Workflow[node]) == "SaveImage";
        var type = save ? "output" : "temp";
        var prefix = save && prompt.Workflow[node]?["inputs"]?["filename_prefix"] is JsonValue p && p.TryGetValue<string>(out var text) ? text : "ComfyUI_temp";
        var images = new JsonArray();
        for (var i = 0; i < prompt.Job.Batch; i++)
        {
            var filename = history.NextFileName(prefix);
            history.SaveFile(type, filename, studio.Final(prompt.Job.Final(i)));
            files.Add((type, filename));
            images.Add(new JsonObject { ["filename"] = filename, ["subfolder"] = "", ["type"] = type });
        }
        var output = new JsonObject { ["images"] = images };
        await sockets.SendAsync(prompt.ClientId, "executed", Data(prompt, ("node", node), ("display_node", node), ("output", output.DeepClone())));
        return output;
    }

    private async Task SendAsync(QueuedPrompt prompt, string type, JsonObject data, JsonArray messages)
    {
        messages.Add(new JsonArray(type, data.DeepClone()));
        await sockets.SendAsync(prompt.ClientId, type, data);
    }

    private static JsonObject HistoryEntry(QueuedPrompt prompt, JsonObject outputs, string status, JsonArray messages)
    {
        var meta = new JsonObject();
        foreach (var (id, _) in outputs)
        {
            meta[id] = new JsonObject { ["node_id"] = id, ["display_node"] = id, ["parent_node"] = null, ["real_node_id"] = id };
        }
        return new JsonObject
        {
            ["prompt"] = prompt.ToQueueItem(),
            ["outputs"] = outputs,
            ["status"] = new JsonObject { ["status_str"] = status, ["completed"] = status == "success", ["messages"] = messages },
            ["meta"] = meta,
        };
    }

    private static string? ClassOf(QueuedPrompt prompt, string? node) => node is null ? null : WorkflowValidator.ClassOf(prompt.Workflow[node]);

    private JsonObject Stamped(QueuedPrompt prompt, params (string Name, JsonNode? Value)[] fields) =>
        Data(prompt, [.. fields, ("timestamp", time.GetUtcNow().ToUnixTimeMilliseconds())]);

    private static JsonObject Data(QueuedPrompt prompt, params (string Name, JsonNode? Value)[] fields)
    {
        var data = new JsonObject();
        foreach (var (name, value) in fields)
        {
            data[name] = value;
        }
        data["prompt_id"] = prompt.Id;
        return data;
    }

    /// <summary>The failure the <c>mid-stream-error</c> and <c>cut-stream</c> faults inject into a run.</summary>
    private sealed class InjectedFailure : Exception;
}

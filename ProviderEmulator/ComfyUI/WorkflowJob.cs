using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Imaging;
using ProviderEmulator.Rendering;

namespace ProviderEmulator.ComfyUI;

/// <summary>
/// What a validated workflow makes: the sampler's prompt text (through its positive conditioning), seed, steps, cfg and
/// sampler, the latent's size and batch, and the order its nodes execute in (dependencies first, from the outputs).
/// </summary>
internal sealed record WorkflowJob(
    string Text, ulong Seed, int Steps, string Cfg, string Sampler, int Width, int Height, int Batch, string? SamplerNode, IReadOnlyList<string> Order)
{
    /// <summary>ComfyUI's default largest preview side.</summary>
    public const int PreviewSide = 512;

    public static WorkflowJob Read(JsonObject prompt, IReadOnlyList<string> outputs)
    {
        var order = ExecutionOrder(prompt, outputs);
        var samplerNode = order.FirstOrDefault(id => WorkflowValidator.ClassOf(prompt[id]) == "KSampler");
        var sampler = Inputs(prompt, samplerNode);
        var latent = Inputs(prompt, LinkedNode(sampler["latent_image"]));
        return new WorkflowJob(
            TextOf(prompt, LinkedNode(sampler["positive"]), depth: 0) ?? "",
            sampler["seed"] is JsonValue seed && seed.TryGetValue<ulong>(out var s) ? s : 0,
            Int(sampler["steps"], 20),
            sampler["cfg"]?.ToJsonString() ?? "8",
            sampler["sampler_name"]?.GetValue<string>() ?? "euler",
            Int(latent["width"], 1024),
            Int(latent["height"], 1024),
            Int(latent["batch_size"], 1),
            samplerNode,
            order);
    }

    /// <summary>The final image <paramref name="index"/> of the batch: PNG, drawn from the text, seed and sampler settings.</summary>
    public ImageSpec Final(int index) => new(Scene, Width, Height, Scramble(index), Transparent: false, ImageFormat.Png, Compression: 100);

    /// <summary>A preview: the same picture contained in <see cref="PreviewSide"/>, as JPEG.</summary>
    public ImageSpec Preview()
    {
        var scale = Math.Min(1.0, (double)PreviewSide / Math.Max(Width, Height));
        return new ImageSpec(Scene, Math.Max(1, (int)(Width * scale)), Math.Max(1, (int)(Height * scale)), Scramble(0), Transparent: false,
            ImageFormat.Jpeg, Compression: 85);
    }

    /// <summary>The step after which preview <paramref name="index"/> of <paramref name="count"/> is sent (1-based steps).</summary>
    public int PreviewStep(int index, int count) => Math.Max(1, (int)Math.Ceiling((double)(index + 1) * Steps / count));

    private string Scene => string.Join('\u0001', Text, Steps.ToString(CultureInfo.InvariantCulture), Cfg, Sampler);

    private long Scramble(int index) => unchecked((long)Seed + index);

    private static List<string> ExecutionOrder(JsonObject prompt, IReadOnlyList<string> outputs)
    {
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string id)
        {
            if (!seen.Add(id))
            {
                return;
            }
            foreach (var (_, value) in Inputs(prompt, id))
            {
                if (LinkedNode(value) is { } source)
                {
                    Visit(source);
                }
            }
            order.Add(id);
        }
        foreach (var output in outputs)
        {
            Visit(output);
        }
        return order;
    }

    private static string? TextOf(JsonObject prompt, string? id, int depth)
    {
        if (id is null || depth > 16)
        {
            return null;
        }
        var inputs = Inputs(prompt, id);
        if (WorkflowValidator.ClassOf(prompt[id]) == "CLIPTextEncode")
        {
            return inputs["text"]?.GetValue<string>();
        }
        return inputs.Select(i => TextOf(prompt, LinkedNode(i.Value), depth + 1)).FirstOrDefault(t => t is not null);
    }

    private static JsonObject Inputs(JsonObject prompt, string? id) => id is not null && prompt[id]?["inputs"] is JsonObject inputs ? inputs : [];

    private static string? LinkedNode(JsonNode? value) => value is JsonArray { Count: 2 } link && link[0] is JsonValue id && id.TryGetValue<string>(out var node) ? node : null;

    private static int Int(JsonNode? value, int fallback) => value is JsonValue v && v.TryGetValue<double>(out var d) ? (int)d : fallback;
}

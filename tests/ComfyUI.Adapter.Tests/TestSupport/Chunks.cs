using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Provider.V1;

namespace ComfyUI.Adapter.Tests.TestSupport;

/// <summary>Workflow requests built from the shipped chunk (Chunks/output_image_sd35_large.json), as the router sends them.</summary>
internal static class Chunks
{
    public const string Sd35Large = "output_image_sd35_large";

    /// <summary>The chunk file as JSON.</summary>
    public static JsonObject Load(string name = Sd35Large) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Chunks", name + ".json")))!.AsObject();

    /// <summary>An OPERATION_WORKFLOW request for the chunk; a small size keeps the emulator fast.</summary>
    public static ProviderRequest Request(string prompt = "a lighthouse at dusk", string size = "256x256", int n = 0, int partialImages = 0,
        JsonObject? extra = null, JsonObject? chunk = null)
    {
        chunk ??= Load();
        var request = new ProviderRequest
        {
            Operation = Operation.Workflow,
            Model = chunk["model"]!.GetValue<string>(),
            Prompt = prompt,
            Size = size,
            N = n,
            PartialImages = partialImages,
            RunId = "run-test",
            Chunk = new ChunkCall
            {
                Name = chunk["name"]!.GetValue<string>(),
                Provider = "comfyui",
                Workflow = ToStruct(chunk["workflow"]),
                InputMappings = ToStruct(chunk["input_mappings"]),
                OutputMapping = ToStruct(chunk["output_mapping"]),
                Local = true,
            },
        };
        if (extra is not null)
        {
            request.Extra = ToStruct(extra);
        }
        return request;
    }

    public static Struct ToStruct(JsonNode? json) => JsonParser.Default.Parse<Struct>(json!.ToJsonString());
}

using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Provider.V1;

namespace Declarative.Adapter.Tests.TestSupport;

/// <summary>
/// The chunk files under Chunks/, turned into the ProviderRequest the router sends for them (operation HTTP, the chunk's
/// api_config, input_mappings and output_mapping as Structs, its price from meta.cost_per_image_usd).
/// </summary>
internal static class ChunkFiles
{
    public const string Stability = "output_image_stability-core";
    public const string Flux = "output_image_flux-schnell";
    public const string GptImageStreamed = "output_image_gpt-image-1_streamed";
    public const string Gpt5 = "output_image_gpt5";

    /// <summary>The chunk file's JSON, to change before <see cref="Request(JsonObject, string)"/>.</summary>
    public static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Chunks", name + ".json")))!.AsObject();

    public static ProviderRequest Request(string name, string prompt = "a lighthouse at dusk") => Request(Load(name), prompt);

    public static ProviderRequest Request(JsonObject chunk, string prompt = "a lighthouse at dusk")
    {
        var config = chunk["api_config"]!.AsObject();
        var call = new ChunkCall
        {
            Name = chunk["name"]!.GetValue<string>(),
            Provider = config["provider"]!.GetValue<string>(),
            ApiConfig = ToStruct(config),
            InputMappings = ToStruct(chunk["input_mappings"]!.AsObject()),
            OutputMapping = ToStruct(chunk["output_mapping"]!.AsObject()),
        };
        if (chunk["meta"]?["cost_per_image_usd"] is JsonValue price)
        {
            call.CostPerImageUsdMicros = (long)decimal.Round(decimal.Parse(price.ToJsonString(), CultureInfo.InvariantCulture) * 1_000_000m);
        }
        return new ProviderRequest
        {
            Operation = Operation.Http,
            Model = config["model"]!.GetValue<string>(),
            Prompt = prompt,
            RunId = "run-test",
            Chunk = call,
        };
    }

    /// <summary>Adds <paramref name="fields"/> to request.extra (numbers, strings, booleans).</summary>
    public static ProviderRequest WithExtra(this ProviderRequest request, params (string Name, object Value)[] fields)
    {
        request.Extra ??= new Struct();
        foreach (var (name, value) in fields)
        {
            request.Extra.Fields[name] = value switch
            {
                string text => Value.ForString(text),
                bool flag => Value.ForBool(flag),
                _ => Value.ForNumber(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            };
        }
        return request;
    }

    /// <summary>Sends the emulator fault header with every request of the chunk (create, polls, cancel).</summary>
    public static JsonObject WithFault(this JsonObject chunk, string fault)
    {
        chunk["api_config"]!["headers"]!["x-emulator-fault"] = fault;
        return chunk;
    }

    private static Struct ToStruct(JsonObject json) => JsonParser.Default.Parse<Struct>(json.ToJsonString());
}

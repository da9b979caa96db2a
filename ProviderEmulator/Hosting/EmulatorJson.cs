using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProviderEmulator.Hosting;

/// <summary>Compact JSON as the providers send it: no indentation, '+' and '/' in base64 left unescaped.</summary>
internal static class EmulatorJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(JsonNode node) => node.ToJsonString(Options);

    public static long UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static string NewId(string prefix) => prefix + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
}

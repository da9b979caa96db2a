using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf;

namespace Pipeline.Cli.Output;

/// <summary>The <c>--json</c> output: protobuf JSON (lowerCamelCase, as the HTTP API) for the API's messages, System.Text.Json for the CLI's own results.</summary>
internal static class Json
{
    private static readonly JsonFormatter Protobuf = new(JsonFormatter.Settings.Default.WithIndentation());

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Format(IMessage message) => Protobuf.Format(message);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}

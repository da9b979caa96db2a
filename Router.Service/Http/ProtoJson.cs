using Google.Protobuf;

namespace Router.Service.Http;

/// <summary>The protobuf JSON mapping the HTTP API speaks: lowerCamelCase on output, both names accepted on input.</summary>
internal static class ProtoJson
{
    public static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    public static readonly JsonParser Parser = new(JsonParser.Settings.Default);
}

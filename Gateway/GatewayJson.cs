using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway;

/// <summary>How the gateway writes JSON: UTF-8 as is (as OpenAI does), not \u-escaped; never embedded in HTML.</summary>
public static class GatewayJson
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

using System.Text;
using System.Text.Json.Nodes;
using ProviderEmulator.Faults;
using ProviderEmulator.Hosting;

namespace ProviderEmulator.Sse;

/// <summary>Non-streamed JSON replies, honouring the malformed-json, cut-stream and trickle faults.</summary>
internal static class JsonReply
{
    public static async Task WriteAsync(HttpContext context, JsonNode body)
    {
        var faults = EmulatorRequest.Get(context).Faults;
        var bytes = ReplyMutator.For(context) is { } mutator ? mutator.Mutate(body) : Encoding.UTF8.GetBytes(EmulatorJson.Serialize(body));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        if (faults.MalformedJson)
        {
            bytes = Malformed(bytes);
        }

        if (faults.CutStream)
        {
            context.Response.ContentLength = bytes.Length;
            await BodyWriter.WriteAsync(context, bytes.AsMemory(0, bytes.Length / 2));
            await BodyWriter.CutAsync(context);
            return;
        }

        context.Response.ContentLength = bytes.Length;
        await BodyWriter.WriteAsync(context, bytes);
    }

    /// <summary>The JSON with its closing brackets removed and a stray token appended: parsers must fail on it.</summary>
    public static byte[] Malformed(byte[] json)
    {
        var text = Encoding.UTF8.GetString(json).TrimEnd('}', ']');
        return Encoding.UTF8.GetBytes(text + ",\"emulator\":");
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Declarative.Adapter.Chunks;

namespace Declarative.Adapter.Templates;

/// <summary>
/// A chunk's HTTP call with every placeholder filled and every parameter written: what goes on the wire. Holds secret values
/// (in headers, body or URL), so it stays out of logs; <see cref="Scrub"/> removes them from any text that leaves the adapter.
/// </summary>
internal sealed class PreparedCall(
    ApiChunk chunk, Uri endpoint, IReadOnlyList<KeyValuePair<string, string>> headers, JsonObject body, IReadOnlyList<string> secrets, bool viaEmulator)
{
    public ApiChunk Chunk { get; } = chunk;

    /// <summary>Where the call goes: the chunk's endpoint, or its emulator twin.</summary>
    public Uri Endpoint { get; } = endpoint;

    /// <summary>Headers with secrets filled; sent on the create request and on every poll.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = headers;

    public JsonObject Body { get; } = body;

    /// <summary>Whether <see cref="DeclarativeOptions.EmulatorUrl"/> replaced the real endpoint.</summary>
    public bool ViaEmulator { get; } = viaEmulator;

    /// <summary>The text with every secret value used by this call replaced by "***".</summary>
    public string Scrub(string text)
    {
        foreach (var secret in secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>Whether <paramref name="url"/> has the endpoint's scheme, host and port (status and cancel URLs must).</summary>
    public bool IsSameOrigin(Uri url) =>
        Uri.Compare(url, Endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    public override string ToString() => new StringBuilder("PreparedCall { Chunk = ").Append(Chunk.Name)
        .Append(", Endpoint = ").Append(Endpoint.GetLeftPart(UriPartial.Path)).Append(", ViaEmulator = ").Append(ViaEmulator).Append(" }").ToString();
}

using System.Text.Json.Nodes;
using Google.Protobuf;
using Pipeline.Contracts.Provider.V1;

namespace Pipeline.Providers;

/// <summary>Reading a <see cref="ProviderRequest"/> the same way in every adapter.</summary>
public static class ProviderRequestExtensions
{
    /// <summary>Images asked for: n, with 0 meaning 1.</summary>
    public static int ImageCount(this ProviderRequest request) => Math.Max(1, request.N);

    /// <summary>request.extra as a JSON object (empty when unset); values keep their JSON types.</summary>
    public static JsonObject ExtraAsJson(this ProviderRequest request)
    {
        if (request.Extra is null || request.Extra.Fields.Count == 0)
        {
            return [];
        }
        return JsonNode.Parse(JsonFormatter.Default.Format(request.Extra))?.AsObject() ?? [];
    }
}

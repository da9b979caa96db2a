using System.Text.Json.Nodes;
using Declarative.Adapter.Json;
using Pipeline.Providers;

namespace Declarative.Adapter.Chunks;

/// <summary>Reads the parts of a chunk's JSON, collecting every problem (each naming its key) instead of stopping at the first.</summary>
internal sealed class ChunkReader(string chunkName)
{
    private readonly List<string> _problems = [];

    public void Problem(string message) => _problems.Add(message);

    /// <summary>Throws INVALID_ARGUMENT listing every problem, when there are any.</summary>
    public void ThrowIfInvalid()
    {
        if (_problems.Count > 0)
        {
            throw new ProviderException(ProviderFailureKind.InvalidRequest,
                $"Chunk '{chunkName}' cannot be executed: {string.Join("; ", _problems)}") { Param = "chunk" };
        }
    }

    public string? String(JsonObject? obj, string key, string where, bool required = false)
    {
        var node = obj?[key];
        if (node is null)
        {
            if (required)
            {
                Problem($"{where}.{key} is missing");
            }
            return null;
        }
        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return text;
        }
        Problem($"{where}.{key} must be a string");
        return null;
    }

    public JsonObject? Object(JsonObject? obj, string key, string where, bool required = false)
    {
        var node = obj?[key];
        if (node is JsonObject child)
        {
            return child;
        }
        if (node is not null || required)
        {
            Problem(node is null ? $"{where}.{key} is missing" : $"{where}.{key} must be an object");
        }
        return null;
    }

    public JsonPath? Path(JsonObject? obj, string key, string where, bool required = false)
    {
        var text = String(obj, key, where, required);
        if (text is null)
        {
            return null;
        }
        var path = JsonPath.TryParse(text, out var error);
        if (path is null)
        {
            Problem($"{where}.{key} '{text}' {error}");
        }
        return path;
    }

    public double? Number(JsonObject? obj, string key, string where)
    {
        var node = obj?[key];
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue value && value.TryGetValue<double>(out var number))
        {
            return number;
        }
        if (node is JsonValue integral && integral.TryGetValue<long>(out var whole))
        {
            return whole;
        }
        Problem($"{where}.{key} must be a number");
        return null;
    }

    public IReadOnlyList<string> Strings(JsonObject? obj, string key, string where, IReadOnlyList<string> fallback)
    {
        var node = obj?[key];
        if (node is null)
        {
            return fallback;
        }
        if (node is JsonArray array && array.All(a => a is JsonValue v && v.TryGetValue<string>(out _)))
        {
            return [.. array.Select(a => a!.GetValue<string>())];
        }
        Problem($"{where}.{key} must be an array of strings");
        return fallback;
    }
}

using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Reliability.Fuzz.Generators;

/// <summary>A JSON object kept as raw tokens, so a mutation can write what no serializer would (NaN, 01, lone surrogates).</summary>
public sealed class JsonFields
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public JsonFields(params (string Name, string Token)[] fields) => _fields.AddRange(fields.Select(f => KeyValuePair.Create(f.Name, f.Token)));

    public IReadOnlyList<string> Names => [.. _fields.Select(f => f.Key)];

    public JsonFields Set(string name, string token)
    {
        var i = _fields.FindIndex(f => f.Key == name);
        if (i < 0)
        {
            _fields.Add(KeyValuePair.Create(name, token));
        }
        else
        {
            _fields[i] = KeyValuePair.Create(name, token);
        }
        return this;
    }

    public JsonFields Remove(string name)
    {
        _fields.RemoveAll(f => f.Key == name);
        return this;
    }

    public JsonFields Duplicate(string name, string token)
    {
        _fields.Add(KeyValuePair.Create(name, token));
        return this;
    }

    public static string Quote(string escapedText) => "\"" + escapedText + "\"";

    public override string ToString() =>
        "{" + string.Join(",", _fields.Select(f => JsonValue.Create(f.Key).ToJsonString() + ":" + f.Value)) + "}";

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToString());
}

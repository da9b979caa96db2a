using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Declarative.Adapter.Json;

/// <summary>
/// A path into JSON as chunks write it: names separated by '.', with <c>[i]</c> for one array element and <c>[]</c> for
/// every element, e.g. <c>choices[0].message.content</c>, <c>output[]</c>, <c>artifacts[].base64</c>, <c>urls.get</c>.
/// </summary>
internal sealed class JsonPath
{
    private JsonPath(string text, IReadOnlyList<JsonPathStep> steps)
    {
        Text = text;
        Steps = steps;
    }

    public string Text { get; }

    public IReadOnlyList<JsonPathStep> Steps { get; }

    public override string ToString() => Text;

    /// <summary>Parses <paramref name="text"/>; null with <paramref name="error"/> saying what is wrong.</summary>
    public static JsonPath? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return null;
        }
        var steps = new List<JsonPathStep>();
        var name = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                if (name.Length == 0 && (steps.Count == 0 || steps[^1].Name is not null))
                {
                    error = $"has an empty name at position {i}";
                    return null;
                }
                Flush(name, steps);
                continue;
            }
            if (c != '[')
            {
                name.Append(c);
                continue;
            }
            Flush(name, steps);
            var close = text.IndexOf(']', i);
            if (close < 0)
            {
                error = $"has '[' without ']' at position {i}";
                return null;
            }
            var inside = text[(i + 1)..close];
            if (inside.Length == 0)
            {
                steps.Add(JsonPathStep.All);
            }
            else if (int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                steps.Add(JsonPathStep.At(index));
            }
            else
            {
                error = $"has '[{inside}]'; write [0], [1], … or [] for every element";
                return null;
            }
            i = close;
        }
        if (text.EndsWith('.'))
        {
            error = "ends with '.'";
            return null;
        }
        Flush(name, steps);
        return new JsonPath(text, steps);
    }

    /// <summary>Every value at this path in <paramref name="root"/>, each with its concrete path (e.g. <c>output[1]</c>); missing → empty.</summary>
    public List<(string Path, JsonNode Value)> Select(JsonNode? root)
    {
        var current = new List<(string Path, JsonNode? Node)> { ("", root) };
        foreach (var step in Steps)
        {
            var next = new List<(string, JsonNode?)>();
            foreach (var (path, node) in current)
            {
                if (step.Name is { } name)
                {
                    if (node is JsonObject obj && obj.TryGetPropertyValue(name, out var child))
                    {
                        next.Add((path.Length == 0 ? name : $"{path}.{name}", child));
                    }
                }
                else if (node is JsonArray array)
                {
                    if (step.Index is { } index)
                    {
                        if (index < array.Count)
                        {
                            next.Add(($"{path}[{index}]", array[index]));
                        }
                    }
                    else
                    {
                        next.AddRange(array.Select((item, i) => ($"{path}[{i}]", item)));
                    }
                }
            }
            current = next;
        }
        return [.. current.Where(c => c.Node is not null).Select(c => (c.Path, c.Node!))];
    }

    /// <summary>The first value at this path as text (a string, or a number's JSON), or null.</summary>
    public string? FirstString(JsonNode? root) => Select(root) is [var (_, value), ..] ? AsText(value) : null;

    /// <summary>A string's value, a scalar's JSON text; null for objects and arrays.</summary>
    public static string? AsText(JsonNode value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    private static void Flush(StringBuilder name, List<JsonPathStep> steps)
    {
        if (name.Length > 0)
        {
            steps.Add(JsonPathStep.Named(name.ToString()));
            name.Clear();
        }
    }
}

/// <summary>One step of a <see cref="JsonPath"/>: a property name, an array index, or every element (both null).</summary>
internal sealed record JsonPathStep(string? Name, int? Index)
{
    public static readonly JsonPathStep All = new(null, null);

    public static JsonPathStep Named(string name) => new(name, null);

    public static JsonPathStep At(int index) => new(null, index);

    public bool IsAll => Name is null && Index is null;
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Declarative.Adapter.Templates;

/// <summary><c>{{NAME}}</c> placeholders in templates: finding them, and filling them in one pass (filled text is never re-scanned).</summary>
internal static partial class Placeholders
{
    /// <summary>The prompt.</summary>
    public const string Prompt = "PROMPT";

    /// <summary>api_config.model.</summary>
    public const string Model = "MODEL";

    /// <summary>Every placeholder name in <paramref name="text"/>.</summary>
    public static IEnumerable<string> Names(string text) => Pattern().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>Every placeholder name in the string values of <paramref name="node"/>, at any depth.</summary>
    public static IEnumerable<string> Names(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Names(p.Value)),
        JsonArray array => array.SelectMany(Names),
        JsonValue value when value.TryGetValue<string>(out var text) => Names(text),
        _ => [],
    };

    /// <summary>Whether <paramref name="node"/> is a string holding one placeholder and nothing else.</summary>
    public static bool IsPlaceholderOnly(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && OnlyPattern().IsMatch(text);

    public static string Fill(string text, Func<string, string> valueOf) => Pattern().Replace(text, m => valueOf(m.Groups[1].Value));

    /// <summary>Fills every string value of <paramref name="node"/> in place.</summary>
    public static void Fill(JsonNode? node, Func<string, string> valueOf)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (IsString(obj[key], out var text))
                    {
                        obj[key] = Fill(text, valueOf);
                    }
                    else
                    {
                        Fill(obj[key], valueOf);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (IsString(array[i], out var text))
                    {
                        array[i] = Fill(text, valueOf);
                    }
                    else
                    {
                        Fill(array[i], valueOf);
                    }
                }
                break;
        }
    }

    private static bool IsString(JsonNode? node, out string text)
    {
        text = "";
        return node is JsonValue value && value.TryGetValue(out text!) && text is not null;
    }

    [GeneratedRegex(@"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^\s*\{\{[A-Za-z_][A-Za-z0-9_]*\}\}\s*$")]
    private static partial Regex OnlyPattern();
}

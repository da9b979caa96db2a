using System.Text.Json.Nodes;

namespace Declarative.Adapter.Json;

/// <summary>Writes and removes values at a <see cref="JsonPath"/> without <c>[]</c> steps, creating missing objects and arrays on the way.</summary>
internal static class JsonPathWriter
{
    /// <summary>Sets the value at <paramref name="steps"/> under <paramref name="root"/>; arrays are padded with nulls up to the index.</summary>
    public static void Write(JsonObject root, IReadOnlyList<JsonPathStep> steps, JsonNode? value)
    {
        JsonNode parent = root;
        for (var i = 0; i < steps.Count - 1; i++)
        {
            parent = Child(parent, steps[i], steps[i + 1]);
        }
        Set(parent, steps[^1], value);
    }

    /// <summary>The value at <paramref name="steps"/>, or null when any step is missing.</summary>
    public static JsonNode? Read(JsonObject root, IReadOnlyList<JsonPathStep> steps)
    {
        JsonNode? node = root;
        foreach (var step in steps)
        {
            node = step.Name is { } name ? (node as JsonObject)?[name]
                : node is JsonArray array && step.Index < array.Count ? array[step.Index.Value] : null;
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    /// <summary>Removes the value at <paramref name="steps"/> (an object property; an array element becomes null).</summary>
    public static void Remove(JsonObject root, IReadOnlyList<JsonPathStep> steps)
    {
        var parent = steps.Count == 1 ? root : Read(root, steps.Take(steps.Count - 1).ToList());
        var last = steps[^1];
        if (last.Name is { } name && parent is JsonObject obj)
        {
            obj.Remove(name);
        }
        else if (last.Index is { } index && parent is JsonArray array && index < array.Count)
        {
            array[index] = null;
        }
    }

    private static JsonNode Child(JsonNode parent, JsonPathStep step, JsonPathStep next)
    {
        var existing = step.Name is { } name ? (parent as JsonObject)?[name]
            : parent is JsonArray array && step.Index < array.Count ? array[step.Index.Value] : null;
        var wantsArray = next.Name is null;
        if ((existing is JsonArray && wantsArray) || (existing is JsonObject && !wantsArray))
        {
            return existing;
        }
        JsonNode created = wantsArray ? new JsonArray() : new JsonObject();
        Set(parent, step, created);
        return created;
    }

    private static void Set(JsonNode parent, JsonPathStep step, JsonNode? value)
    {
        if (step.Name is { } name)
        {
            parent.AsObject()[name] = value;
            return;
        }
        var array = parent.AsArray();
        var index = step.Index!.Value;
        while (array.Count <= index)
        {
            array.Add(null);
        }
        array[index] = value;
    }
}

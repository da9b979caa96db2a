using System.Globalization;
using System.Text.Json;
using ProviderEmulator.Hosting;

namespace ProviderEmulator.OpenAI.Images;

/// <summary>
/// Request parameters from either a JSON body or multipart text parts, read with the API's type errors
/// ("Invalid type for 'n': expected an integer, but got a string instead.").
/// </summary>
internal sealed class ImageParameters
{
    private readonly Dictionary<string, JsonElement> _json = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _text = new(StringComparer.Ordinal);

    public IEnumerable<string> Names => _json.Keys.Concat(_text.Keys);

    public static ImageParameters FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ApiErrorException(new ApiError(400, "The request body must be a JSON object."));
        }

        var parameters = new ImageParameters();
        foreach (var property in root.EnumerateObject())
        {
            parameters._json[property.Name] = property.Value.Clone();
        }

        return parameters;
    }

    public static ImageParameters FromFields(IReadOnlyDictionary<string, string> fields)
    {
        var parameters = new ImageParameters();
        foreach (var (key, value) in fields)
        {
            parameters._text[key] = value;
        }

        return parameters;
    }

    public bool Has(string name) => _json.TryGetValue(name, out var e) ? e.ValueKind != JsonValueKind.Null : _text.ContainsKey(name);

    public JsonElement? Json(string name) => _json.TryGetValue(name, out var e) && e.ValueKind != JsonValueKind.Null ? e : null;

    public string? String(string name)
    {
        if (_text.TryGetValue(name, out var text))
        {
            return text;
        }

        if (Json(name) is not { } element)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String
            ? element.GetString()
            : throw new ApiErrorException(ApiError.InvalidType(name, "a string", Describe(element)));
    }

    public int? Int(string name, int min, int max)
    {
        int value;
        if (_text.TryGetValue(name, out var text))
        {
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
            {
                throw new ApiErrorException(ApiError.InvalidType(name, "an integer", "a string"));
            }
        }
        else if (Json(name) is { } element)
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out value))
            {
                throw new ApiErrorException(ApiError.InvalidType(name, "an integer", Describe(element)));
            }
        }
        else
        {
            return null;
        }

        if (value < min || value > max)
        {
            var message = value < min
                ? $"Invalid '{name}': integer below minimum value. Expected a value >= {min}, but got {value} instead."
                : $"Invalid '{name}': integer above maximum value. Expected a value <= {max}, but got {value} instead.";
            throw new ApiErrorException(new ApiError(400, message, Param: name, Code: value < min ? "integer_below_min_value" : "integer_above_max_value"));
        }

        return value;
    }

    public bool? Bool(string name)
    {
        if (_text.TryGetValue(name, out var text))
        {
            return text.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw new ApiErrorException(ApiError.InvalidType(name, "a boolean", "a string")),
            };
        }

        if (Json(name) is not { } element)
        {
            return null;
        }

        return element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ApiErrorException(ApiError.InvalidType(name, "a boolean", Describe(element))),
        };
    }

    /// <summary>A string parameter that must be one of <paramref name="allowed"/>.</summary>
    public string? OneOf(string name, params string[] allowed)
    {
        var value = String(name);
        if (value is null || allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        throw new ApiErrorException(ApiError.InvalidValue(
            name, $"Invalid value: '{value}'. Supported values are: {string.Join(", ", allowed.Select(a => $"'{a}'"))}."));
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}

using System.Text.Json;
using Router.Service.Catalogue.Files;

namespace Router.Service.Catalogue;

/// <summary>Reads one catalogue file, turning I/O and JSON problems into errors with the line to look at.</summary>
internal static class CatalogueFileReader
{
    public static T? Read<T>(string path, string file, CatalogueErrors errors)
        where T : class
    {
        try
        {
            var value = JsonSerializer.Deserialize<T>(File.ReadAllText(path), CatalogueJson.Options);
            if (value is null)
            {
                errors.Add(file, "", "the file holds null; it must hold a JSON object");
            }

            return value;
        }
        catch (JsonException ex)
        {
            errors.Add(file, FieldOf(ex), Describe(ex));
        }
        catch (IOException ex)
        {
            errors.Add(file, "", $"cannot be read ({ex.Message}); check the file and its permissions");
        }
        catch (UnauthorizedAccessException ex)
        {
            errors.Add(file, "", $"cannot be read ({ex.Message}); check the file and its permissions");
        }

        return null;
    }

    public static string Describe(JsonException ex)
    {
        var line = ex.LineNumber is { } l ? $" (line {l + 1}, position {ex.BytePositionInLine + 1})" : "";
        var field = FieldOf(ex);
        var message = ex.Message;
        var pathAt = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (pathAt >= 0)
        {
            message = message[..pathAt];
        }

        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return $"{field} is not a known field{line}; remove it or check its spelling";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"{field} has the wrong JSON type{line}; check the value (numbers unquoted, lists in [ ], objects in {{ }})";
        }

        return $"invalid JSON{line}: {message.TrimEnd('.')}; fix the syntax";
    }

    private static string FieldOf(JsonException ex) => ex.Path is { Length: > 2 } path ? path[2..] : "";
}

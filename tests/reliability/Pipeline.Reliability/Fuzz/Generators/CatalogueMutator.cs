using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Reliability.Fuzz.Generators;

/// <summary>
/// Mutates a copy of the catalogue (<c>Router.Service/catalogue-data</c>) in place: one to three files get their
/// structure, types or fields broken, or are replaced by junk, emptied, deleted or joined by a stray file.
/// </summary>
public static class CatalogueMutator
{
    /// <summary>Applies the mutations to <paramref name="directory"/>; returns what was done, for the failure line.</summary>
    public static string Mutate(Random random, string directory)
    {
        var files = Directory.GetFiles(directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var notes = new List<string>();
        for (var i = 1 + random.Next(3); i > 0; i--)
        {
            var file = files[random.Next(files.Length)];
            var name = Path.GetRelativePath(directory, file);
            if (!File.Exists(file))
            {
                continue;
            }
            var kind = random.Next(9);
            notes.Add($"{name}:{kind}");
            switch (kind)
            {
                case 0:
                    File.Delete(file);
                    break;
                case 1:
                    File.WriteAllBytes(file, Mutations.Damage(random, File.ReadAllBytes(file)));
                    break;
                case 2:
                    File.WriteAllText(file, Mutations.Pick(random, new[] { "", "null", "[]", "42", "\"x\"", "{", new string('[', 5000) }));
                    break;
                case 3:
                    File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(file)!, $"stray{random.Next(100)}.json"), Encoding.UTF8.GetBytes(Mutations.RandomToken(random)));
                    break;
                default:
                    MutateTree(random, file);
                    break;
            }
        }
        return string.Join(", ", notes);
    }

    /// <summary>A field of the file's JSON removed, retyped, set to an odd value, or an unknown field added.</summary>
    private static void MutateTree(Random random, string file)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(file));
        }
        catch (System.Text.Json.JsonException)
        {
            return;
        }
        var objects = new List<JsonObject>();
        void Walk(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                objects.Add(o);
                foreach (var (_, value) in o)
                {
                    Walk(value);
                }
            }
            else if (node is JsonArray a)
            {
                foreach (var item in a)
                {
                    Walk(item);
                }
            }
        }
        Walk(root);
        var target = objects.Count > 0 ? objects[random.Next(objects.Count)] : null;
        if (target is null || target.Count == 0)
        {
            return;
        }
        // The new value goes in as a raw token (it may hold a lone surrogate escape, which JsonNode cannot write).
        const string Placeholder = "\"__fuzz_value__\"";
        var key = target.ElementAt(random.Next(target.Count)).Key;
        var token = random.Next(4) switch
        {
            0 => null,
            1 or 2 => Mutations.RandomToken(random),
            _ => $"\"{Mutations.Pick(random, Mutations.OddStrings)}\"",
        };
        if (token is null)
        {
            target.Remove(key);
        }
        else
        {
            target[random.Next(2) == 0 ? key : $"unknown_{random.Next(100)}"] = "__fuzz_value__";
        }
        File.WriteAllText(file, root!.ToJsonString().Replace(Placeholder, token, StringComparison.Ordinal));
    }
}

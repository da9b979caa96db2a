using System.Text;
using System.Text.Json.Nodes;
using ProviderEmulator.Hosting;

namespace ProviderEmulator.Faults;

/// <summary>
/// The <c>mutate=SEED</c> fault: corrupts each JSON body and SSE event of one reply, deterministically from the seed and the
/// event's position in the reply. One event in four goes out intact; the others lose a field, get a value of the wrong
/// type, carry corrupted or invalid base64 image data, are truncated, or get junk bytes (invalid UTF-8 included).
/// </summary>
internal sealed class ReplyMutator(int seed)
{
    private static readonly byte[][] Junk = [[0xFF, 0xFE], [0xC3], [0xED, 0xA0, 0x80], "\\ud800"u8.ToArray(), "\n\n"u8.ToArray(), "\0"u8.ToArray(), "{["u8.ToArray(), "NaN"u8.ToArray()];

    private int _events;

    /// <summary>The mutator of the request's reply, or null when the request has no <c>mutate</c> fault.</summary>
    public static ReplyMutator? For(HttpContext context) => EmulatorRequest.Get(context).Mutator;

    /// <summary>The bytes to send for <paramref name="body"/> (the next event of this reply).</summary>
    public byte[] Mutate(JsonNode body)
    {
        var random = new Random(HashCode.Combine(seed, Interlocked.Increment(ref _events)));
        var copy = body.DeepClone();
        switch (random.Next(8))
        {
            case 0:
            case 1:
                return Bytes(copy);
            case 2:
                RemoveField(copy, random);
                return Bytes(copy);
            case 3:
                WrongType(copy, random);
                return Bytes(copy);
            case 4:
                CorruptBase64(copy, random, valid: true);
                return Bytes(copy);
            case 5:
                CorruptBase64(copy, random, valid: false);
                return Bytes(copy);
            case 6:
                var whole = Bytes(copy);
                return whole[..random.Next(whole.Length)];
            default:
                var bytes = Bytes(copy).ToList();
                bytes.InsertRange(random.Next(bytes.Count + 1), Junk[random.Next(Junk.Length)]);
                return [.. bytes];
        }
    }

    /// <summary>Text for an SSE <c>data:</c> line (invalid UTF-8 becomes U+FFFD once written, as a real proxy would send it).</summary>
    public string MutateText(JsonNode body) => Encoding.UTF8.GetString(Mutate(body));

    private static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(EmulatorJson.Serialize(node));

    private static List<(JsonNode Parent, string? Name, int Index, JsonNode? Value)> Slots(JsonNode root)
    {
        var slots = new List<(JsonNode, string?, int, JsonNode?)>();
        void Walk(JsonNode node)
        {
            if (node is JsonObject o)
            {
                foreach (var (name, value) in o.ToList())
                {
                    slots.Add((o, name, -1, value));
                    if (value is not null)
                    {
                        Walk(value);
                    }
                }
            }
            else if (node is JsonArray a)
            {
                for (var i = 0; i < a.Count; i++)
                {
                    slots.Add((a, null, i, a[i]));
                    if (a[i] is { } item)
                    {
                        Walk(item);
                    }
                }
            }
        }

        Walk(root);
        return slots;
    }

    private static void RemoveField(JsonNode root, Random random)
    {
        var fields = Slots(root).Where(s => s.Name is not null).ToList();
        if (fields.Count > 0)
        {
            var (parent, name, _, _) = fields[random.Next(fields.Count)];
            ((JsonObject)parent).Remove(name!);
        }
    }

    private static void WrongType(JsonNode root, Random random)
    {
        var slots = Slots(root);
        if (slots.Count == 0)
        {
            return;
        }

        var (parent, name, index, value) = slots[random.Next(slots.Count)];
        JsonNode? replacement = (value?.GetValueKind(), random.Next(3)) switch
        {
            (System.Text.Json.JsonValueKind.String, 0) => JsonValue.Create(-1),
            (System.Text.Json.JsonValueKind.String, 1) => new JsonArray(),
            (System.Text.Json.JsonValueKind.Number, 0) => JsonValue.Create("NaN"),
            (System.Text.Json.JsonValueKind.Number, _) => JsonValue.Create(1e308),
            (System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Array, 0) => JsonValue.Create("oops"),
            (_, 2) => null,
            _ => new JsonObject { ["unexpected"] = true },
        };
        if (name is not null)
        {
            ((JsonObject)parent)[name] = replacement;
        }
        else
        {
            ((JsonArray)parent)[index] = replacement;
        }
    }

    /// <summary>The longest string (the image) gets bytes flipped but stays base64 (valid), or gets characters base64 does not have.</summary>
    private static void CorruptBase64(JsonNode root, Random random, bool valid)
    {
        var (parent, name, index, value) = Slots(root)
            .Where(s => s.Value?.GetValueKind() == System.Text.Json.JsonValueKind.String)
            .OrderByDescending(s => s.Value!.GetValue<string>().Length)
            .FirstOrDefault();
        if (value is null)
        {
            return;
        }

        var text = value.GetValue<string>().ToCharArray();
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (var i = 0; i < Math.Min(16, text.Length); i++)
        {
            text[random.Next(text.Length)] = valid ? alphabet[random.Next(alphabet.Length)] : "!*-_ ="[random.Next(6)];
        }

        var corrupted = valid || random.Next(2) == 0 ? new string(text) : new string(text, 0, Math.Max(0, text.Length - 1 - random.Next(3)));
        if (name is not null)
        {
            ((JsonObject)parent)[name] = corrupted;
        }
        else
        {
            ((JsonArray)parent)[index] = corrupted;
        }
    }
}

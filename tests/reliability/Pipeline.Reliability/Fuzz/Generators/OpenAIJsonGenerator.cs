using System.Text;

namespace Pipeline.Reliability.Fuzz.Generators;

/// <summary>
/// <c>POST /v1/images/generations</c> bodies: a valid request bent by one to three mutations of structure, types,
/// encodings, sizes, numbers at their edges, unknown fields and content types.
/// </summary>
public static class OpenAIJsonGenerator
{
    private static readonly string[] Fields =
    [
        "model", "prompt", "n", "size", "quality", "stream", "partial_images", "output_format", "background",
        "output_compression", "moderation", "response_format", "user", "style", "input_fidelity",
    ];

    private static readonly string[] NumberFields = ["n", "partial_images", "output_compression"];

    private static readonly string[] Models = ["gpt-image-1", "gpt-image-1-mini", "dall-e-3", "gpt-image-2", "gemini-2.5-flash-image", "sd35_large", "nope", "GPT-IMAGE-1", "gpt-image-1 ", "dall-e-2"];

    public static FuzzRequest Create(Random random)
    {
        var fields = new JsonFields(("model", "\"gpt-image-1\""), ("prompt", "\"a lighthouse at dusk\""), ("quality", "\"low\""), ("size", "\"1024x1024\""));
        var notes = new List<string>();
        string? contentType = "application/json";
        byte[]? raw = null;
        for (var i = 1 + random.Next(3); i > 0; i--)
        {
            switch (random.Next(10))
            {
                case 0:
                    var field = Mutations.Pick(random, Fields);
                    fields.Set(field, Mutations.RandomToken(random));
                    notes.Add($"type:{field}");
                    break;
                case 1:
                    var number = Mutations.Pick(random, NumberFields);
                    fields.Set(number, Mutations.Pick(random, Mutations.EdgeNumbers));
                    notes.Add($"edge:{number}");
                    break;
                case 2:
                    var odd = Mutations.Pick(random, Fields);
                    fields.Set(odd, JsonFields.Quote(Mutations.Pick(random, Mutations.OddStrings)));
                    notes.Add($"odd:{odd}");
                    break;
                case 3:
                    fields.Remove(Mutations.Pick(random, fields.Names.Count > 0 ? fields.Names : ["prompt"]));
                    notes.Add("missing");
                    break;
                case 4:
                    fields.Set($"unknown_{random.Next(100)}", Mutations.RandomToken(random));
                    notes.Add("unknown");
                    break;
                case 5:
                    fields.Set("model", JsonFields.Quote(Mutations.Pick(random, Models)));
                    if (random.Next(2) == 0)
                    {
                        fields.Set("stream", "true").Set("partial_images", random.Next(0, 4).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                    notes.Add("model/stream");
                    break;
                case 6:
                    var hugeField = random.Next(2) == 0 ? "prompt" : Mutations.Pick(random, Fields);
                    fields.Set(hugeField, random.Next(2) == 0
                        ? Mutations.HugeString(random, random.Next(1, 4) * 700_000)
                        : "[" + string.Join(",", Enumerable.Repeat("1", random.Next(1000, 200_000))) + "]");
                    notes.Add($"huge:{hugeField}");
                    break;
                case 7:
                    fields.Duplicate(Mutations.Pick(random, Fields), Mutations.RandomToken(random));
                    notes.Add("duplicate");
                    break;
                case 8:
                    contentType = Mutations.Pick(random, new[]
                    {
                        null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
                        "application/json; charset=latin1", "application/xml", "application/json;;;", "*/*", "application/json; boundary=\"",
                    });
                    notes.Add($"content-type:{contentType ?? "none"}");
                    break;
                default:
                    raw = Structure(random, fields, notes);
                    break;
            }
        }

        var body = raw ?? fields.ToBytes();
        if (random.Next(4) == 0)
        {
            body = Mutations.Damage(random, body);
            notes.Add("damaged");
        }

        return new FuzzRequest("POST", "/v1/images/generations", body, contentType, Envelope.OpenAI, string.Join(",", notes));
    }

    /// <summary>Bodies that are not a JSON object of fields: other roots, deep nesting, raw invalid UTF-8, UTF-16, empty.</summary>
    private static byte[] Structure(Random random, JsonFields fields, List<string> notes)
    {
        var kind = random.Next(8);
        notes.Add($"structure:{kind}");
        return kind switch
        {
            0 => [],
            1 => Encoding.UTF8.GetBytes("[" + fields + "]"),
            2 => Encoding.UTF8.GetBytes(Mutations.Pick(random, new[] { "null", "42", "\"prompt\"", "true", "{}", "{\"prompt\":}", "{,}" })),
            3 => Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)),
            4 => Encoding.UTF8.GetBytes("{\"prompt\":" + string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000) + "}"),
            5 => [.. Encoding.UTF8.GetBytes("{\"model\":\"gpt-image-1\",\"prompt\":\"a "), .. Mutations.Pick(random, Mutations.InvalidUtf8), .. Encoding.UTF8.GetBytes(" b\"}")],
            6 => Encoding.Unicode.GetBytes(fields.ToString()),
            _ => Encoding.UTF8.GetBytes(fields + " " + fields),
        };
    }
}

using System.Text;

namespace Pipeline.Reliability.Fuzz.Generators;

/// <summary>
/// <c>POST /v1/images/edits</c> multipart bodies: a valid edit (model, prompt, a small PNG) bent in its boundary, its
/// part headers, its images (truncated, not images, decompression bombs, too many) or its parts (missing, repeated).
/// </summary>
public static class MultipartEditGenerator
{
    private static readonly byte[] SmallPng = TinyImages.Png(32);

    public static FuzzRequest Create(Random random)
    {
        var boundary = "fuzz" + random.Next(1_000_000);
        var parts = new List<Part>
        {
            new("model", null, null, "gpt-image-1"u8.ToArray()),
            new("prompt", null, null, "make it blue"u8.ToArray()),
            new("quality", null, null, "low"u8.ToArray()),
            new("image", "in.png", "image/png", SmallPng),
        };
        var notes = new List<string>();
        var contentType = $"multipart/form-data; boundary={boundary}";
        var writtenBoundary = boundary;
        var closing = true;
        for (var i = 1 + random.Next(2); i > 0; i--)
        {
            switch (random.Next(9))
            {
                case 0:
                    (contentType, writtenBoundary, closing) = BoundaryFault(random, boundary, notes);
                    break;
                case 1:
                    var index = random.Next(parts.Count);
                    parts[index] = parts[index] with { RawHeaders = Mutations.Pick(random, BadHeaders) };
                    notes.Add($"headers:{parts[index].Name}");
                    break;
                case 2:
                    var image = ImageIndex(parts);
                    var cut = SmallPng[..random.Next(SmallPng.Length)];
                    parts[image] = parts[image] with { Data = cut };
                    notes.Add($"truncated:{cut.Length}");
                    break;
                case 3:
                    image = ImageIndex(parts);
                    var side = (uint)Mutations.Pick(random, new[] { 16_385, 100_000, 1_000_000, int.MaxValue, 0 });
                    parts[image] = random.Next(2) == 0
                        ? parts[image] with { Data = TinyImages.PngBomb(side, side) }
                        : parts[image] with { FileName = "bomb.jpg", Type = "image/jpeg", Data = TinyImages.JpegBomb(65_500, 65_500) };
                    notes.Add($"bomb:{side}");
                    break;
                case 4:
                    parts.RemoveAt(random.Next(parts.Count));
                    notes.Add("missing-part");
                    break;
                case 5:
                    parts.AddRange(Enumerable.Range(0, random.Next(2, 20)).Select(_ => new Part(random.Next(2) == 0 ? "image" : "image[]", "x.png", "image/png", SmallPng)));
                    notes.Add("many-images");
                    break;
                case 6:
                    parts.Add(new Part("mask", "mask.png", "image/png", random.Next(2) == 0 ? TinyImages.Png(8) : Mutations.Damage(random, SmallPng)));
                    notes.Add("mask");
                    break;
                case 7:
                    var field = Mutations.Pick(random, new[] { "n", "size", "quality", "input_fidelity", "output_format", "background", "model", "prompt" });
                    parts.Add(new Part(field, null, null, Encoding.UTF8.GetBytes(Mutations.Pick(random, Mutations.EdgeNumbers.Concat(Mutations.OddStrings).ToArray()))));
                    notes.Add($"field:{field}");
                    break;
                default:
                    image = ImageIndex(parts);
                    parts[image] = parts[image] with { Data = Mutations.Damage(random, SmallPng) };
                    notes.Add("damaged-image");
                    break;
            }
        }

        var body = Write(parts, writtenBoundary, closing);
        return new FuzzRequest("POST", "/v1/images/edits", body, contentType, Envelope.OpenAI, string.Join(",", notes));
    }

    private static readonly string[] BadHeaders =
    [
        "", "Content-Disposition: form-data\r\n", "Content-Disposition: attachment; name=\"image\"\r\n",
        "Content-Disposition: form-data; name=\r\n", "Content-Disposition: form-data; name=\"image\"; filename=\"../../x\"\r\n",
        "Content-Disposition: form-data; name=\"image\"; filename*=UTF-8''%FF%FE\r\n", "Content-Type: image/png\r\n",
        "Content-Disposition: form-data; name=\"" + new string('n', 20_000) + "\"\r\n", "Content-Disposition form-data name image\r\n",
        "Content-Disposition: form-data; name=\"image\"\r\nContent-Length: -1\r\n", "Content-Disposition: form-data; name=\"image\"\r\nContent-Transfer-Encoding: base64\r\n",
    ];

    private static (string ContentType, string Written, bool Closing) BoundaryFault(Random random, string boundary, List<string> notes)
    {
        var kind = random.Next(7);
        notes.Add($"boundary:{kind}");
        return kind switch
        {
            0 => ("multipart/form-data", boundary, true),
            1 => ($"multipart/form-data; boundary={boundary}", boundary + "x", true),
            2 => ($"multipart/form-data; boundary=\"{boundary}\"", boundary, true),
            3 => ($"multipart/form-data; boundary={new string('b', 200)}", new string('b', 200), true),
            4 => ($"multipart/form-data; boundary={boundary}", boundary, false),
            5 => ("multipart/form-data; boundary=", "", true),
            _ => ($"multipart/mixed; boundary={boundary}", boundary, true),
        };
    }

    /// <summary>The first image part (one is added when a mutation removed it).</summary>
    private static int ImageIndex(List<Part> parts)
    {
        var i = parts.FindIndex(p => p.Name == "image");
        if (i >= 0)
        {
            return i;
        }
        parts.Add(new Part("image", "in.png", "image/png", SmallPng));
        return parts.Count - 1;
    }

    private static byte[] Write(List<Part> parts, string boundary, bool closing)
    {
        var body = new MemoryStream();
        void Text(string s) => body.Write(Encoding.UTF8.GetBytes(s));
        foreach (var part in parts)
        {
            Text($"--{boundary}\r\n");
            Text(part.RawHeaders ?? $"Content-Disposition: form-data; name=\"{part.Name}\"{(part.FileName is null ? "" : $"; filename=\"{part.FileName}\"")}\r\n"
                + (part.Type is null ? "" : $"Content-Type: {part.Type}\r\n"));
            Text("\r\n");
            body.Write(part.Data);
            Text("\r\n");
        }
        if (closing)
        {
            Text($"--{boundary}--\r\n");
        }
        return body.ToArray();
    }

    private sealed record Part(string Name, string? FileName, string? Type, byte[] Data)
    {
        public string? RawHeaders { get; init; }
    }
}

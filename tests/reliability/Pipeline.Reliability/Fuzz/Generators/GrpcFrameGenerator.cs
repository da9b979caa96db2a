using System.Buffers.Binary;
using Google.Protobuf;
using Pipeline.Contracts.ImageGen.V1;

namespace Pipeline.Reliability.Fuzz.Generators;

/// <summary>
/// Raw gRPC calls to every public method of <c>imagegen.v1.ImageGeneration</c> on the gateway: a valid request message,
/// mutated in its protobuf bytes, its length prefix, its compression flag or its frame count, sometimes with odd
/// <c>grpc-encoding</c> or <c>grpc-timeout</c> headers.
/// </summary>
public static class GrpcFrameGenerator
{
    public const string Service = "/imagegen.v1.ImageGeneration/";

    private static readonly (string Method, Func<Random, IMessage> Message)[] Methods =
    [
        ("Generate", r => new GenerateRequest { Prompt = "a kite", Config = "gpt-image-1", Parameters = new GenerationParameters { Quality = "low" } }),
        ("ListConfigs", r => new ListConfigsRequest()),
        ("GetRun", r => new GetRunRequest { RunId = "run-" + r.Next(1000) }),
        ("ListRuns", r => new ListRunsRequest { PageSize = r.Next(-5, 200) }),
        ("Regenerate", r => new RegenerateRequest { RunId = "run-" + r.Next(1000) }),
    ];

    public static FuzzRequest Create(Random random)
    {
        var (method, message) = Methods[random.Next(Methods.Length)];
        var payload = message(random).ToByteArray();
        var notes = new List<string> { method };
        var flag = (byte)0;
        uint? declared = null;
        var frames = 1;
        for (var i = 1 + random.Next(2); i > 0; i--)
        {
            switch (random.Next(8))
            {
                case 0:
                case 1:
                    payload = Mutations.Damage(random, payload);
                    notes.Add("damaged");
                    break;
                case 2:
                    payload = new byte[random.Next(1, 256)];
                    random.NextBytes(payload);
                    notes.Add("random-bytes");
                    break;
                case 3:
                    flag = (byte)Mutations.Pick(random, new[] { 1, 2, 0x80, 0xFF });
                    notes.Add($"flag:{flag}");
                    break;
                case 4:
                    declared = Mutations.Pick(random, new[] { 0u, 1u, (uint)payload.Length + 1, (uint)Math.Max(0, payload.Length - 1), 0x7FFFFFFFu, 0xFFFFFFFFu, 64u * 1024 * 1024 + 1 });
                    notes.Add($"length:{declared}");
                    break;
                case 5:
                    frames = Mutations.Pick(random, new[] { 0, 2, 3 });
                    notes.Add($"frames:{frames}");
                    break;
                case 6:
                    payload = [.. payload, .. Field(random)];
                    notes.Add("extra-field");
                    break;
                default:
                    method = Mutations.Pick(random, new[] { "Nope", "generate", "", "Generate/extra" });
                    notes.Add("method");
                    break;
            }
        }

        var body = new List<byte>();
        var header = new byte[5];
        header[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), declared ?? (uint)payload.Length);
        for (var f = 0; f < frames; f++)
        {
            body.AddRange(header);
            body.AddRange(payload);
        }

        var headers = new List<KeyValuePair<string, string>>();
        if (random.Next(5) == 0)
        {
            var (name, value) = random.Next(2) == 0
                ? ("grpc-encoding", Mutations.Pick(random, new[] { "gzip", "deflate", "br", "nope", "identity" }))
                : ("grpc-timeout", Mutations.Pick(random, new[] { "1n", "0S", "99999999H", "abc", "-1S", "100m" }));
            headers.Add(KeyValuePair.Create(name, value));
            notes.Add($"{name}:{value}");
        }

        return new FuzzRequest("POST", Service + method, [.. body], "application/grpc", Envelope.Grpc, string.Join(",", notes)) { Headers = headers };
    }

    /// <summary>An unknown or clashing field: a random tag with a random wire type and a few bytes.</summary>
    private static byte[] Field(Random random)
    {
        var tag = (uint)((random.Next(1, 40) << 3) | random.Next(8));
        var bytes = new List<byte>();
        while (tag >= 0x80)
        {
            bytes.Add((byte)(tag | 0x80));
            tag >>= 7;
        }
        bytes.Add((byte)tag);
        var tail = new byte[random.Next(0, 12)];
        random.NextBytes(tail);
        return [.. bytes, .. tail];
    }
}

using System.Text;

namespace Pipeline.Reliability.Fuzz.Generators;

/// <summary>
/// The router's HTTP API through the gateway: <c>POST /api/generate</c> (GenerateRequest in protobuf JSON), <c>GET
/// /api/runs</c> query strings, <c>GET /api/runs/{id}</c> and <c>POST /api/runs/{id}/regenerate</c>, plus a few
/// broken Authorization headers.
/// </summary>
public static class RouterApiGenerator
{
    private static readonly string[] GenerateFields = ["prompt", "config", "mode", "media_type", "run_id", "parameters", "input_images", "mask", "include_image_data", "inputImages", "runId"];

    private static readonly string[] ParameterFields = ["size", "quality", "n", "output_format", "background", "partial_images", "output_compression", "seed", "extra"];

    private static readonly string[] QueryNames = ["page_size", "limit", "page_token", "config", "status", "created_after", "created_before", "unknown"];

    private static readonly string[] QueryValues =
    [
        "", "0", "-1", "1", "100", "101", "2147483648", "abc", "%00", "%FF%FE", "%ED%A0%80", "RUN_STATUS_RUNNING", "RUNNING", "succeeded", "7",
        "2026-01-01T00:00:00Z", "2026-13-45T99:99:99Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "yesterday", "1e9",
        "eyJvZmZzZXQiOi0xfQ", "!!!!", new string('t', 5000), "..%2F..%2F", "%22%3E%3Cscript%3E",
    ];

    private static readonly string[] RunIds =
    [
        "", "x", "run-00000000000000000000000000000000", "%00", "%FF", "%ED%A0%80", "..", "%2E%2E", "a%2Fb", "%20", new string('r', 4000),
        "run-" + new string('0', 32), "00000000-0000-0000-0000-000000000000", "'; DROP TABLE runs; --", "%E2%80%AE", "con", "*",
    ];

    public static FuzzRequest Create(Random random) => random.Next(20) switch
    {
        < 9 => Generate(random),
        < 13 => ListRuns(random),
        < 16 => GetRun(random),
        < 19 => Regenerate(random),
        _ => BrokenAuthorization(random),
    };

    private static FuzzRequest Generate(Random random)
    {
        var parameters = new JsonFields(("quality", "\"low\""));
        var fields = new JsonFields(("prompt", "\"a paper boat\""), ("config", "\"gpt-image-1\""));
        var notes = new List<string>();
        for (var i = 1 + random.Next(3); i > 0; i--)
        {
            switch (random.Next(7))
            {
                case 0:
                    var field = Mutations.Pick(random, GenerateFields);
                    fields.Set(field, Mutations.RandomToken(random));
                    notes.Add($"type:{field}");
                    break;
                case 1:
                    var parameter = Mutations.Pick(random, ParameterFields);
                    parameters.Set(parameter, random.Next(2) == 0 ? Mutations.Pick(random, Mutations.EdgeNumbers) : Mutations.RandomToken(random));
                    notes.Add($"parameter:{parameter}");
                    break;
                case 2:
                    var odd = Mutations.Pick(random, GenerateFields[..5]);
                    fields.Set(odd, JsonFields.Quote(Mutations.Pick(random, Mutations.OddStrings)));
                    notes.Add($"odd:{odd}");
                    break;
                case 3:
                    fields.Set("input_images", "[{\"data\":\"" + Mutations.Pick(random, new[] { "!!notbase64", "iVBORw0KGgo=", "", new string('A', 4000), Convert.ToBase64String(TinyImages.PngBomb(100_000, 100_000)) }) + "\"}]");
                    notes.Add("input-image");
                    break;
                case 4:
                    fields.Set("input_images", "[{\"url\":\"" + Mutations.Pick(random, new[] { "http://127.0.0.1:1/x.png", "file:///etc/passwd", "data:image/png;base64,!!", "javascript:alert(1)", "" }) + "\"}]");
                    notes.Add("input-url");
                    break;
                case 5:
                    fields.Remove(Mutations.Pick(random, new[] { "prompt", "config" }));
                    notes.Add("missing");
                    break;
                default:
                    fields.Set($"unknown{random.Next(10)}", "1");
                    notes.Add("unknown");
                    break;
            }
        }

        fields.Set("parameters", parameters.ToString());
        var body = fields.ToBytes();
        if (random.Next(4) == 0)
        {
            body = Mutations.Damage(random, body);
            notes.Add("damaged");
        }

        var contentType = random.Next(8) == 0 ? Mutations.Pick(random, new[] { "text/plain", "application/x-protobuf", "application/json; charset=utf-16", "" }) : "application/json";
        return new FuzzRequest("POST", "/api/generate", body, contentType.Length == 0 ? null : contentType, Envelope.Problem, string.Join(",", notes));
    }

    private static FuzzRequest ListRuns(Random random)
    {
        var pairs = Enumerable.Range(0, random.Next(1, 5)).Select(_ => $"{Mutations.Pick(random, QueryNames)}={Mutations.Pick(random, QueryValues)}");
        var query = string.Join(random.Next(6) == 0 ? ";" : "&", pairs);
        return new FuzzRequest("GET", "/api/runs?" + query, [], null, Envelope.Problem, "list-runs");
    }

    private static FuzzRequest GetRun(Random random) =>
        new("GET", "/api/runs/" + Mutations.Pick(random, RunIds), [], null, Envelope.Problem, "get-run");

    private static FuzzRequest Regenerate(Random random)
    {
        var body = random.Next(3) switch
        {
            0 => [],
            1 => Encoding.UTF8.GetBytes("{\"parameters\":{\"n\":" + Mutations.Pick(random, Mutations.EdgeNumbers) + "},\"prompt\":" + Mutations.RandomToken(random) + "}"),
            _ => Mutations.Damage(random, "{\"new_run_id\":\"x\",\"include_image_data\":true}"u8.ToArray()),
        };
        return new FuzzRequest("POST", $"/api/runs/{Mutations.Pick(random, RunIds)}/regenerate", body, "application/json", Envelope.Problem, "regenerate");
    }

    private static FuzzRequest BrokenAuthorization(Random random)
    {
        var authorization = Mutations.Pick(random, new[] { "", "Bearer", "Bearer ", "Basic Zm9vOmJhcg==", "Bearer pk-wrong", "bearer  ", "Bearer " + new string('k', 8000) });
        return new FuzzRequest("GET", "/api/runs", [], null, Envelope.Problem, "authorization") { Authorization = authorization };
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Tests.TestSupport;

namespace Gateway.Tests.OpenAI;

/// <summary>
/// The inputs that once gave a 500 echoing the caller's key (issue 15, "Found" 3): each is a 400 in the OpenAI envelope,
/// never reaches the router, and nothing of the request's headers comes back, in Development (as the AppHost runs the
/// gateway) and in Production.
/// </summary>
public sealed class MalformedRequestTests
{
    private const string Boundary = "pipeline-test-boundary";

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var environment in new[] { "Development", "Production" })
        {
            foreach (var input in s_inputs.Keys)
            {
                data.Add(environment, input);
            }
        }
        return data;
    }

    private static readonly Dictionary<string, (string Path, string ContentType, byte[] Body, string[] Codes)> s_inputs = new()
    {
        ["json: invalid UTF-8 in a value"] = ("/v1/images/generations", "application/json",
            Bytes("{\"prompt\":\"a ", [0xFF, 0xFE], " fox\",\"model\":\"gpt-image-1\"}"), ["invalid_json", "invalid_encoding"]),
        ["json: invalid UTF-8 as the whole body"] = ("/v1/images/generations", "application/json",
            [0xFF, 0xFE, 0xFD], ["invalid_json", "invalid_encoding"]),
        ["json: lone \\ud800 escape"] = ("/v1/images/generations", "application/json",
            Encoding.UTF8.GetBytes("{\"prompt\":\"a \\ud800 fox\",\"model\":\"gpt-image-1\"}"), ["invalid_json", "invalid_encoding"]),
        ["json: lone \\udc00 escape in a key name"] = ("/v1/images/generations", "application/json",
            Encoding.UTF8.GetBytes("{\"prompt\":\"a fox\",\"x\\udc00\":\"y\"}"), ["invalid_json", "invalid_encoding"]),
        ["json: bad bytes in a key name"] = ("/v1/images/generations", "application/json",
            Bytes("{\"prompt\":\"a fox\",\"pr", [0xC3, 0x28], "ompt\":\"b\"}"), ["invalid_json", "invalid_encoding"]),
        ["multipart: no closing boundary"] = ("/v1/images/edits", $"multipart/form-data; boundary={Boundary}",
            Multipart(Boundary)[..^(Boundary.Length + 6)], ["invalid_multipart"]),
        ["multipart: another boundary than Content-Type's"] = ("/v1/images/edits", "multipart/form-data; boundary=not-the-one-used",
            Multipart(Boundary), ["invalid_multipart"]),
        ["multipart: truncated inside a part"] = ("/v1/images/edits", $"multipart/form-data; boundary={Boundary}",
            Multipart(Boundary)[..120], ["invalid_multipart"]),
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task MalformedBody_AnyEnvironment_400EnvelopeWithoutEcho(string environment, string input)
    {
        var (path, contentType, body, codes) = s_inputs[input];
        await using var env = await GatewayEnvironment.StartAsync(environment: environment);
        using var client = env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await client.PostAsync(path, content).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();

        var error = await OpenAIErrorAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(error.GetProperty("code").GetString(), codes);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        AssertNoEcho(response, text);
        Assert.Empty(env.Router.Calls.Generates);
    }

    [Fact]
    public async Task WellFormedMultipart_SameBuilder_Accepted()
    {
        // The inputs above are cut from this body: whole, it is an edit the gateway runs.
        await using var env = await GatewayEnvironment.StartAsync();
        using var client = env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
        using var content = new ByteArrayContent(Multipart(Boundary));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");

        using var response = await client.PostAsync("/v1/images/edits", content).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(env.Router.Calls.Generates);
    }

    private static void AssertNoEcho(HttpResponseMessage response, string body)
    {
        Assert.DoesNotContain(GatewayEnvironment.ApiKey, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Authorization", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
        var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => h.Key + ": " + string.Join(",", h.Value)));
        Assert.DoesNotContain(GatewayEnvironment.ApiKey, headers, StringComparison.Ordinal);
    }

    private static byte[] Bytes(string before, byte[] raw, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. raw, .. Encoding.UTF8.GetBytes(after)];

    /// <summary>An edit: a prompt and a model as text parts, one PNG as <c>image</c>.</summary>
    private static byte[] Multipart(string boundary)
    {
        var body = new MemoryStream();
        void Text(string s) => body.Write(Encoding.UTF8.GetBytes(s));
        Text($"--{boundary}\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nadd a hat\r\n");
        Text($"--{boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-image-1\r\n");
        Text($"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"in.png\"\r\nContent-Type: image/png\r\n\r\n");
        body.Write(TestImages.Png(8, 8, new SkiaSharp.SKColor(200, 40, 40)));
        Text("\r\n");
        Text($"--{boundary}--\r\n");
        return body.ToArray();
    }
}

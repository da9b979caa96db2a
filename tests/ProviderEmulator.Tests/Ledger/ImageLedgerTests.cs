using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ProviderEmulator.Faults;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.Ledger;

public class ImageLedgerTests
{
    [Fact]
    public async Task Ledger_NonStreamed_RecordsEachImageWithRunAndSha256()
    {
        await using var emulator = await EmulatorHost.StartAsync(cancellationToken: TestTimeouts.Token()).DefaultTimeout();
        using var http = Clients.Http(emulator);

        using var response = await http.PostAsJsonAsync("/v1/images/generations",
            new { model = "gpt-image-1", prompt = "ledger", n = 2, quality = "low", user = "run-ledger-1" }, TestTimeouts.Token()).DefaultTimeout();
        using var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = reply.RootElement.GetProperty("data").EnumerateArray()
            .Select(d => Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(d.GetProperty("b64_json").GetString()!)))).ToList();
        using var ledger = JsonDocument.Parse(await http.GetStringAsync("/emulator/ledger?run=run-ledger-1", TestTimeouts.Token()).DefaultTimeout());
        var entries = ledger.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(expected, entries.Select(e => e.GetProperty("sha256").GetString()));
        Assert.All(entries, e => Assert.Equal("run-ledger-1", e.GetProperty("runId").GetString()));
        Assert.Equal([0, 1], entries.Select(e => e.GetProperty("imageIndex").GetInt32()));
    }

    [Fact]
    public async Task Ledger_StreamCutOrMalformed_RecordsNothingButTheWholeStreamsFinal()
    {
        await using var emulator = await EmulatorHost.StartAsync(cancellationToken: TestTimeouts.Token()).DefaultTimeout();
        using var http = Clients.Http(emulator);

        foreach (var (run, fault) in new[] { ("run-cut", "cut-stream"), ("run-malformed", "malformed-json"), ("run-whole", "") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
            {
                Content = new StringContent($$"""{"model":"gpt-image-1","prompt":"x","stream":true,"partial_images":1,"quality":"low","user":"{{run}}"}""", Encoding.UTF8, "application/json"),
            };
            if (fault.Length > 0)
            {
                request.Headers.Add(FaultParser.HeaderName, fault);
            }

            try
            {
                using var response = await http.SendAsync(request, TestTimeouts.Token()).DefaultTimeout();
                await response.Content.ReadAsByteArrayAsync(TestTimeouts.Token()).DefaultTimeout();
            }
            catch (HttpRequestException)
            {
                // The cut stream resets the connection.
            }
        }

        Assert.Equal(["run-whole"], emulator.Ledger.Entries().Select(e => e.RunId));
    }

    [Fact]
    public async Task ArmedFaults_ApplyToTheNextCallsOfTheirPathOnly()
    {
        await using var emulator = await EmulatorHost.StartAsync(cancellationToken: TestTimeouts.Token()).DefaultTimeout();
        using var http = Clients.Http(emulator);
        var body = new { model = "gpt-image-1", prompt = "x", quality = "low" };

        using var bad = await http.PostAsync("/emulator/faults/next?calls=2&faults=no-such-fault", null, TestTimeouts.Token()).DefaultTimeout();
        using var arm = await http.PostAsync("/emulator/faults/next?calls=2&faults=status%3D503&path=/v1/images/generations", null, TestTimeouts.Token()).DefaultTimeout();
        using var otherPath = await http.GetAsync("/api/v1/models", TestTimeouts.Token()).DefaultTimeout();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.PostAsJsonAsync("/v1/images/generations", body, TestTimeouts.Token()).DefaultTimeout();
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, arm.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherPath.StatusCode);
        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], statuses);
        Assert.Null(emulator.Faults.Armed);
    }
}

using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.Faults;

/// <summary>The <c>mutate=SEED</c> fault: corrupted replies, the same bytes for the same seed, armed per request or at run time.</summary>
public class MutateFaultTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Body = """{"model":"dall-e-2","prompt":"a red bicycle","size":"256x256","response_format":"b64_json"}""";

    [Fact]
    public async Task Mutate_SameSeed_SameBytes_OtherSeedsDiffer()
    {
        var first = await GenerateAsync("mutate=7");
        var again = await GenerateAsync("mutate=7");
        var clean = await GenerateAsync(null);
        var others = new List<string>();
        for (var seed = 100; seed < 108; seed++)
        {
            others.Add(await GenerateAsync($"mutate={seed}"));
        }

        Assert.Equal(first, again);
        Assert.Contains(others, body => body != clean);
    }

    [Fact]
    public async Task Mutate_WithoutSeed_Returns400NamingTheHeader()
    {
        using var client = Clients.Http(fixture.Emulator);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations") { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("x-emulator-fault", "mutate");

        using var response = await client.SendAsync(request, TestTimeouts.Token()).DefaultTimeout();

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("mutate", await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MutateControl_ArmsTheNextCalls_WithConsecutiveSeeds()
    {
        using var client = Clients.Http(fixture.Emulator);
        var expected = await GenerateAsync("mutate=500");

        using var armed = await client.PostAsync("/emulator/faults/mutate?seed=500&calls=1", null, TestTimeouts.Token()).DefaultTimeout();
        var reply = await armed.Content.ReadFromJsonAsync<Dictionary<string, int>>(TestTimeouts.Token()).DefaultTimeout();
        var mutated = await GenerateAsync(null);

        Assert.Equal(1, reply!["mutate_remaining"]);
        Assert.Equal(expected, mutated);
    }

    /// <summary>The reply with its <c>created</c> time masked (the clock may tick between two calls).</summary>
    private async Task<string> GenerateAsync(string? fault)
    {
        using var client = Clients.Http(fixture.Emulator);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations") { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        if (fault is not null)
        {
            request.Headers.Add("x-emulator-fault", fault);
        }

        using var response = await client.SendAsync(request, TestTimeouts.Token()).DefaultTimeout();
        var text = System.Text.Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(TestTimeouts.Token()).DefaultTimeout());
        return Regex.Replace(text, "\"created\":[0-9]+", "\"created\":0");
    }
}

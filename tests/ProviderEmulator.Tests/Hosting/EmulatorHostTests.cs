using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ProviderEmulator.Faults;
using ProviderEmulator.Hosting;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.Hosting;

public partial class EmulatorHostTests
{
    [Fact]
    public async Task Process_PortZero_PrintsListeningAddressAndServes()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ProviderEmulator.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        using var process = Process.Start(start)!;
        try
        {
            string? address = null;
            while (address is null)
            {
                var line = await process.StandardOutput.ReadLineAsync(TestTimeouts.Token()).AsTask().DefaultTimeout()
                    ?? throw new InvalidOperationException($"emulator exited: {await process.StandardError.ReadToEndAsync(TestTimeouts.Token())}");
                var match = ListeningLine().Match(line);
                address = match.Success ? match.Groups[1].Value : null;
            }

            using var http = new HttpClient { BaseAddress = new Uri(address) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "any-key");
            using var health = await http.GetAsync("/emulator/health", TestTimeouts.Token()).DefaultTimeout();
            using var models = await http.GetAsync("/api/v1/models?output_modalities=image", TestTimeouts.Token()).DefaultTimeout();

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestTimeouts.Token()).DefaultTimeout();
        }
    }

    [Fact]
    public async Task TrafficLog_ClientCancelsStream_RecordsDisconnect()
    {
        await using var emulator = await EmulatorHost.StartAsync(cancellationToken: TestTimeouts.Token()).DefaultTimeout();
        using var http = Clients.Http(emulator);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = new StringContent("""{"model":"gpt-image-1","prompt":"x","stream":true,"partial_images":3,"quality":"low"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(FaultParser.HeaderName, "partial-delay=5s");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token).DefaultTimeout();
        var started = await emulator.Traffic.WaitForAsync(e => e.Kind == EmulatorEventKind.RequestStarted, TestTimeouts.Token()).DefaultTimeout();
        cancel.Cancel();
        response.Dispose();

        var disconnect = await emulator.Traffic.WaitForDisconnectAsync("/v1/images/generations", TestTimeouts.Token()).DefaultTimeout();
        Assert.Equal(started.RequestId, disconnect.RequestId);
        Assert.Equal("partial-delay=5s", disconnect.Faults);
    }

    [Fact]
    public async Task TrafficLog_RecordsWhichKeyCameAsAHashPrefixNeverTheKey()
    {
        await using var emulator = await EmulatorHost.StartAsync(cancellationToken: TestTimeouts.Token()).DefaultTimeout();
        using var http = Clients.Http(emulator, apiKey: "sk-caller-key-0042");
        using var anonymous = Clients.Http(emulator, apiKey: null);
        var body = new { model = "dall-e-2", prompt = "x", size = "256x256", response_format = "b64_json" };

        using var response = await http.PostAsJsonAsync("/v1/images/generations", body, TestTimeouts.Token()).DefaultTimeout();
        using var refused = await anonymous.PostAsJsonAsync("/v1/images/generations", body, TestTimeouts.Token()).DefaultTimeout();

        var started = emulator.Traffic.Events.Where(e => e.Kind == EmulatorEventKind.RequestStarted).Select(e => e.KeyId).ToList();
        Assert.Equal([EmulatorEvent.KeyIdOf("sk-caller-key-0042"), null], started);
        Assert.Equal(12, started[0]!.Length);
        Assert.DoesNotContain("sk-caller-key-0042", await http.GetStringAsync("/emulator/traffic", TestTimeouts.Token()).DefaultTimeout(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_FixedKeys_RejectsOtherKeysWithOpenAIEnvelope()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { ApiKeys = ["sk-good"] }, TestTimeouts.Token()).DefaultTimeout();
        using var wrong = Clients.Http(emulator, apiKey: "sk-wrong-key-123456");
        using var missing = Clients.Http(emulator, apiKey: null);
        using var good = Clients.Http(emulator, apiKey: "sk-good");
        var body = new { model = "dall-e-2", prompt = "x", size = "256x256", response_format = "b64_json" };

        using var wrongResponse = await wrong.PostAsJsonAsync("/v1/images/generations", body, TestTimeouts.Token()).DefaultTimeout();
        using var missingResponse = await missing.PostAsJsonAsync("/v1/images/generations", body, TestTimeouts.Token()).DefaultTimeout();
        using var goodResponse = await good.PostAsJsonAsync("/v1/images/generations", body, TestTimeouts.Token()).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal("Bearer realm=\"OpenAI API\"", wrongResponse.Headers.WwwAuthenticate.ToString());
        var error = await ErrorAsync(wrongResponse);
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.DoesNotContain("sk-wrong-key-123456", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, missingResponse.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await ErrorAsync(missingResponse)).GetProperty("code").ValueKind);
        Assert.Equal(HttpStatusCode.OK, goodResponse.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/v1/images/generations")]
    [InlineData("GET", "/v1/nothing-here")]
    [InlineData("POST", "/v1/responses")]
    public async Task RequestId_EveryOpenAIResponse_CarriesIt(string method, string path)
    {
        await using var emulator = await EmulatorHost.StartAsync(cancellationToken: TestTimeouts.Token()).DefaultTimeout();
        using var http = Clients.Http(emulator);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, TestTimeouts.Token()).DefaultTimeout();

        Assert.False(response.IsSuccessStatusCode);
        Assert.StartsWith("req_", response.Headers.GetValues("x-request-id").Single(), StringComparison.Ordinal);
        Assert.Equal("2020-10-01", response.Headers.GetValues("openai-version").Single());
        var error = await ErrorAsync(response);
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
    }

    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--Emulator:DistinctImages=true" }, true)]
    [InlineData(new[] { "--Emulator:DistinctImages=false" }, false)]
    public async Task AddEmulatorServices_DistinctImagesSetting_IsBoundFromTheEmulatorSection(string[] args, bool expected)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        builder.AddEmulatorServices();
        await using var app = builder.Build();

        Assert.Equal(expected, app.Services.GetRequiredService<EmulatorOptions>().DistinctImages);
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()).DefaultTimeout());
        return json.RootElement.GetProperty("error").Clone();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}

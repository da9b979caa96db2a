using System.Net;
using Gateway.Tests.TestSupport;

namespace Gateway.Tests.OpenAI;

/// <summary>The gateway's shared copy of the router's configs, which the OpenAI routes resolve models against.</summary>
public sealed class RouterCatalogueTests : IAsyncLifetime
{
    private GatewayEnvironment _env = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _env = await GatewayEnvironment.StartAsync();
        _client = _env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _env.DisposeAsync();
    }

    [Fact]
    public async Task Generations_SeveralInARow_OneListConfigsCallResolvesEveryModel()
    {
        for (var i = 0; i < 3; i++)
        {
            using var response = await _client.PostAsJsonAsync("/v1/images/generations", new { prompt = $"fox {i}", model = "gpt-image-1" }).DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(3, _env.Router.Calls.Generates.Count);
        Assert.Single(_env.Router.Calls.All, c => c.Name == "grpc ListConfigs");
    }

    [Fact]
    public async Task Models_TwoLanguages_FetchedOncePerLanguage()
    {
        foreach (var language in new[] { "de-DE", "en", "de-DE" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
            request.Headers.AcceptLanguage.ParseAdd(language);
            using var response = await _client.SendAsync(request).DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var languages = _env.Router.Calls.All.Where(c => c.Name == "grpc ListConfigs")
            .Select(c => c.Request).OfType<Pipeline.Contracts.ImageGen.V1.ListConfigsRequest>().Select(r => r.Language).ToList();
        Assert.Equal(["de-DE", "en"], languages);
    }
}

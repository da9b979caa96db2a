using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.ErrorHandling;

/// <summary>
/// An exception nobody handled answers a ProblemDetails without details, whatever the environment: the AppHost runs
/// every service in Development, where WebApplication adds the developer exception page.
/// </summary>
public sealed class UnhandledExceptionTests
{
    private const string CallerKey = "sk-caller-key-that-must-never-come-back-0123456789";
    private const string ExceptionText = "secret-exception-text from /home/dev/src/Service/Handler.cs";

    [Theory]
    [InlineData("Development", "application/json")]
    [InlineData("Development", "text/html")]
    [InlineData("Development", null)]
    [InlineData("Production", "application/json")]
    [InlineData("Production", "text/html")]
    public async Task EndpointThrows_AnyEnvironment_ProblemDetails500WithoutDetailsOrHeaders(string environment, string? accept)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync(environment, app => app.MapGet("/boom", string () => throw new InvalidOperationException(ExceptionText)), ct)
            .WaitAsync(TimeSpan.FromSeconds(30), ct);
        using var client = Client(host, accept);

        using var response = await client.GetAsync("/boom", ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        var body = await response.Content.ReadAsStringAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        AssertNothingEchoed(response, body);
        if (accept != "text/html")
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(body);
            Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
            Assert.False(problem.RootElement.TryGetProperty("exception", out _), body);
        }
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task MalformedRequestReportedByBinding_AnyEnvironment_Problem400NotA500(string environment)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync(environment,
            app => app.MapGet("/bad", string () => throw new BadHttpRequestException("secret-exception-text", StatusCodes.Status400BadRequest)), ct)
            .WaitAsync(TimeSpan.FromSeconds(30), ct);
        using var client = Client(host, "application/json");

        using var response = await client.GetAsync("/bad", ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        var body = await response.Content.ReadAsStringAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        AssertNothingEchoed(response, body);
    }

    [Fact]
    public async Task EndpointSetHeaderThenThrew_HeaderDropped()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await StartAsync("Development", app => app.MapGet("/boom", string (HttpContext context) =>
        {
            context.Response.Headers["X-Echo"] = context.Request.Headers.Authorization.ToString();
            throw new InvalidOperationException(ExceptionText);
        }), ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        using var client = Client(host, "application/json");

        using var response = await client.GetAsync("/boom", ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        var body = await response.Content.ReadAsStringAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Echo"));
        AssertNothingEchoed(response, body);
    }

    private static void AssertNothingEchoed(HttpResponseMessage response, string body)
    {
        Assert.DoesNotContain(CallerKey, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secret-exception-text", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => h.Key + ": " + string.Join(",", h.Value)));
        Assert.DoesNotContain(CallerKey, headers, StringComparison.Ordinal);
    }

    private static HttpClient Client(ServiceUnderTest host, string? accept)
    {
        var client = new HttpClient { BaseAddress = host.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CallerKey);
        if (accept is not null)
        {
            client.DefaultRequestHeaders.Accept.ParseAdd(accept);
        }
        return client;
    }

    private static async Task<ServiceUnderTest> StartAsync(string environment, Action<IEndpointRouteBuilder> map, CancellationToken cancellationToken)
    {
        var contentRoot = Directory.CreateTempSubdirectory("error-handling-tests-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ContentRootPath = contentRoot });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        builder.AddServiceDefaults();
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ServiceUnderTest(app, new Uri(address), contentRoot);
    }

    private sealed class ServiceUnderTest(WebApplication app, Uri address, string contentRoot) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            Directory.Delete(contentRoot, recursive: true);
        }
    }
}

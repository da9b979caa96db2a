using System.Net;
using System.Text.Json;
using Pipeline.ServiceDefaults.Security;
using Storage.Service.Tests.Grpc;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Http;

/// <summary>The HTTP read path scoped by the caller headers: another tenant's run or image is a 404 like an unknown one.</summary>
public abstract class StorageHttpApiTenancyTests(StorageBackend backend)
{
    [Fact]
    public async Task ImageAndRunPaths_AnotherTenantsRun_AnsweredExactlyAsAnUnknownOne()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await StorageGrpcServiceTenancyTests.PutAsync(host, "a-run", "alpha");
        var beta = Requests.Member("beta");

        var asBeta = await ReadBothAsync(host, beta);
        await host.Client.DeleteRunAsync(new() { RunId = "a-run" }, Requests.As(Requests.Member("alpha"))).ResponseAsync.DefaultTimeout();
        var unknown = await ReadBothAsync(host, beta);

        Assert.All(asBeta, r => Assert.Equal(HttpStatusCode.NotFound, r.Status));
        Assert.Equal(unknown, asBeta);
        Assert.All(asBeta, r => Assert.DoesNotContain("alpha", r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImageAndRunPaths_OwnerAndAdmin_Served()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var png = await StorageGrpcServiceTenancyTests.PutAsync(host, "a-run", "alpha");

        foreach (var caller in new[] { Requests.Member("alpha"), Requests.Admin })
        {
            using var image = await SendAsync(host, "/images/a-run-0", caller).DefaultTimeout();
            using var run = await SendAsync(host, "/runs/a-run", caller).DefaultTimeout();

            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal(png, await image.Content.ReadAsByteArrayAsync().DefaultTimeout());
            Assert.Equal(HttpStatusCode.OK, run.StatusCode);
            using var json = JsonDocument.Parse(await run.Content.ReadAsStringAsync().DefaultTimeout());
            Assert.Equal("alpha", json.RootElement.GetProperty("tenant").GetString());
        }
    }

    [Fact]
    public async Task ImageAndRunPaths_NoCallerHeaders_ServeTheDefaultTenantOnly()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await StorageGrpcServiceTenancyTests.PutAsync(host, "d-run", "default");
        await StorageGrpcServiceTenancyTests.PutAsync(host, "a-run", "alpha");

        using var own = await host.HttpClient.GetAsync("/runs/d-run").DefaultTimeout();
        using var other = await host.HttpClient.GetAsync("/images/a-run-0").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Theory]
    [InlineData("/images/d-run-0", Caller.TenantHeader, "NOPE")]
    [InlineData("/runs/d-run", Caller.TenantHeader, "../x")]
    [InlineData("/runs/d-run", Caller.RoleHeader, "admin")]
    public async Task ImageAndRunPaths_MalformedCallerHeaders_BadRequestProblemDetails(string path, string header, string value)
    {
        await using var host = await StorageHost.StartAsync(backend);
        await StorageGrpcServiceTenancyTests.PutAsync(host, "d-run", "default");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(header, value);

        using var response = await host.HttpClient.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.Contains("tenant", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Body)[]> ReadBothAsync(StorageHost host, Caller caller)
    {
        var answers = new List<(HttpStatusCode, string)>();
        foreach (var path in new[] { "/images/a-run-0", "/runs/a-run" })
        {
            using var response = await SendAsync(host, path, caller).DefaultTimeout();
            var body = await response.Content.ReadAsStringAsync().DefaultTimeout();
            // ProblemDetails carry the request's trace id, which differs per request by design.
            using var json = JsonDocument.Parse(body);
            answers.Add((response.StatusCode, string.Join("|", json.RootElement.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value}"))));
        }
        return [.. answers];
    }

    private static async Task<HttpResponseMessage> SendAsync(StorageHost host, string path, Caller caller)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in caller.ToHeaders())
        {
            request.Headers.Add(name, value);
        }
        return await host.HttpClient.SendAsync(request);
    }

    /// <summary>On SQLite metadata.</summary>
    public sealed class Sqlite() : StorageHttpApiTenancyTests(StorageBackend.Sqlite);

    /// <summary>On PostgreSQL metadata.</summary>
    public sealed class Postgres() : StorageHttpApiTenancyTests(StorageBackend.Postgres);
}

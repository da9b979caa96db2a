using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Http;

public abstract class StorageHttpApiTests(StorageBackend backend)
{
    [Fact]
    public async Task GetImage_Stored_BytesWithContentTypeStrongETagAndImmutableCaching()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var jpeg = TestImages.Jpeg(20, 10);
        await host.Client.PutImageAsync(Requests.Put("http", 0, jpeg), Requests.Timeout).ResponseAsync.DefaultTimeout();

        using var response = await host.HttpClient.GetAsync("/images/http-0").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"\"{Requests.Sha256(jpeg)}\"", response.Headers.ETag!.Tag);
        Assert.False(response.Headers.ETag.IsWeak);
        Assert.True(response.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromSeconds(31536000), response.Headers.CacheControl.MaxAge);
        Assert.Contains("immutable", response.Headers.CacheControl.Extensions.Select(e => e.Name));
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        Assert.Equal(jpeg, await response.Content.ReadAsByteArrayAsync().DefaultTimeout());
    }

    [Fact]
    public async Task GetImage_IfNoneMatchCurrentETag_NotModified()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var png = TestImages.Png();
        await host.Client.PutImageAsync(Requests.Put("etag", 0, png), Requests.Timeout).ResponseAsync.DefaultTimeout();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/images/etag-0");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{Requests.Sha256(png)}\""));

        using var response = await host.HttpClient.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync().DefaultTimeout());
        Assert.Equal($"\"{Requests.Sha256(png)}\"", response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task GetImage_IfNoneMatchOtherETag_FullContent()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var png = TestImages.Png();
        await host.Client.PutImageAsync(Requests.Put("etag", 0, png), Requests.Timeout).ResponseAsync.DefaultTimeout();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/images/etag-0");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0000\""));

        using var response = await host.HttpClient.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(png, await response.Content.ReadAsByteArrayAsync().DefaultTimeout());
    }

    [Fact]
    public async Task GetImage_RangeRequest_PartialContent()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var png = TestImages.NoisePng(50, 50, seed: 3);
        await host.Client.PutImageAsync(Requests.Put("range", 0, png), Requests.Timeout).ResponseAsync.DefaultTimeout();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/images/range-0");
        request.Headers.Range = new RangeHeaderValue(100, 199);

        using var response = await host.HttpClient.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(100, response.Content.Headers.ContentRange!.From);
        Assert.Equal(199, response.Content.Headers.ContentRange.To);
        Assert.Equal(png.Length, response.Content.Headers.ContentRange.Length);
        Assert.Equal(png[100..200], await response.Content.ReadAsByteArrayAsync().DefaultTimeout());
    }

    [Fact]
    public async Task GetImage_SuffixRange_LastBytes()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var png = TestImages.Png(30, 30);
        await host.Client.PutImageAsync(Requests.Put("suffix", 0, png), Requests.Timeout).ResponseAsync.DefaultTimeout();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/images/suffix-0");
        request.Headers.Range = new RangeHeaderValue(null, 12);

        using var response = await host.HttpClient.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(png[^12..], await response.Content.ReadAsByteArrayAsync().DefaultTimeout());
    }

    [Fact]
    public async Task GetImage_UnsatisfiableRange_RangeNotSatisfiable()
    {
        await using var host = await StorageHost.StartAsync(backend);
        var png = TestImages.Png();
        await host.Client.PutImageAsync(Requests.Put("bad-range", 0, png), Requests.Timeout).ResponseAsync.DefaultTimeout();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/images/bad-range-0");
        request.Headers.Range = new RangeHeaderValue(png.Length + 10, png.Length + 20);

        using var response = await host.HttpClient.SendAsync(request).DefaultTimeout();

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
    }

    [Fact]
    public async Task GetImage_Unknown_NotFoundProblemDetails()
    {
        await using var host = await StorageHost.StartAsync(backend);

        using var response = await host.HttpClient.GetAsync("/images/nothing-here").DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("nothing-here", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Cache-Control") && response.Headers.CacheControl!.Extensions.Any(e => e.Name == "immutable"));
    }

    [Theory]
    [InlineData("/images/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/images/%2Fetc%2Fpasswd")]
    [InlineData("/images/a%252e%252e")]
    [InlineData("/images/x.png")]
    [InlineData("/images/%5C..%5Cwin.ini")]
    public async Task GetImage_EncodedTraversalId_BadRequestProblemDetails(string path)
    {
        await using var host = await StorageHost.StartAsync(backend);

        var (status, body) = await RawGetAsync(host, path).DefaultTimeout();

        Assert.Equal(400, status);
        Assert.Contains("application/problem+json", body, StringComparison.Ordinal);
        Assert.Contains("[A-Za-z0-9_-]", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/images/../../../../etc/passwd")]
    [InlineData("/images/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/images//etc/passwd")]
    [InlineData("/runs/../images/x")]
    public async Task GetImage_DotSegmentsAndAbsolutePaths_NeverReachTheFileSystem(string path)
    {
        await using var host = await StorageHost.StartAsync(backend);
        await host.Client.PutImageAsync(Requests.Put("x", 0, TestImages.Png()), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var (status, body) = await RawGetAsync(host, path).DefaultTimeout();

        // Kestrel removes dot segments before routing: what is left is a 400 (bad id), a 404, or a 405 from the
        // gRPC fallback route "/{service}/{method}" (POST only); never a file.
        Assert.True(status is 400 or 404 or 405, $"{path} answered {status}");
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRun_Stored_JsonWithImages()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await host.Client.PutImageAsync(Requests.Put("json-run", 0, TestImages.Png(7, 3)), Requests.Timeout).ResponseAsync.DefaultTimeout();

        using var response = await host.HttpClient.GetAsync("/runs/json-run").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.Equal("json-run", json.RootElement.GetProperty("runId").GetString());
        Assert.Equal("cfg", json.RootElement.GetProperty("config").GetString());
        var image = json.RootElement.GetProperty("images").EnumerateArray().Single();
        Assert.Equal("json-run-0", image.GetProperty("imageId").GetString());
        Assert.Equal(7, image.GetProperty("width").GetInt32());
    }

    [Theory]
    [InlineData("/runs/unknown-run", 404)]
    [InlineData("/runs/..%2Fsecret", 400)]
    [InlineData("/runs/run.json", 400)]
    public async Task GetRun_UnknownOrInvalid_ProblemDetails(string path, int expected)
    {
        await using var host = await StorageHost.StartAsync(backend);

        var (status, body) = await RawGetAsync(host, path).DefaultTimeout();

        Assert.Equal(expected, status);
        Assert.Contains("application/problem+json", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_Ready_Healthy()
    {
        await using var host = await StorageHost.StartAsync(backend);

        var health = await host.HttpClient.GetStringAsync("/health").DefaultTimeout();
        var alive = await host.HttpClient.GetStringAsync("/alive").DefaultTimeout();

        Assert.Equal("Healthy", health);
        Assert.Equal("Healthy", alive);
    }

    /// <summary>Sends the request line exactly as given (HttpClient would normalise dot segments away).</summary>
    private static async Task<(int Status, string Response)> RawGetAsync(StorageHost host, string path)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host.HttpClient.BaseAddress!.Host, host.HttpClient.BaseAddress.Port);
        await using var stream = client.GetStream();
        var request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, response);
    }

    /// <summary>On SQLite metadata.</summary>
    public sealed class Sqlite() : StorageHttpApiTests(StorageBackend.Sqlite);

    /// <summary>On PostgreSQL metadata.</summary>
    public sealed class Postgres() : StorageHttpApiTests(StorageBackend.Postgres);
}

using System.Net;

namespace Pipeline.Reliability.Fuzz;

/// <summary>
/// Sends one generated request to the gateway (HTTP/1.1 on its HTTP endpoint, h2c on its gRPC endpoint) with a timeout,
/// reads the whole reply (the first 32 MB kept for the oracle) and the gRPC status from headers or trailers.
/// </summary>
public sealed class FuzzClient(Uri http, Uri grpc) : IDisposable
{
    private const int KeptBytes = 32 * 1024 * 1024;

    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        EnableMultipleHttp2Connections = true,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<FuzzOutcome> SendAsync(FuzzRequest request, string key, string canary, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            using var message = Build(request, key, canary);
            using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, bounded.Token);
            var body = await ReadAsync(response, bounded.Token);
            var grpcStatus = Header(response, "grpc-status");
            var grpcMessage = Header(response, "grpc-message");
            TimeSpan? retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? delta
                : Header(response, "grpc-status-details-bin") is not null || grpcMessage?.Contains("Try again", StringComparison.OrdinalIgnoreCase) == true ? TimeSpan.FromSeconds(5)
                : null;
            return new FuzzOutcome((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(),
                int.TryParse(grpcStatus, out var code) ? code : null, grpcMessage is null ? null : Uri.UnescapeDataString(grpcMessage), retryAfter, body, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FuzzOutcome.Failed($"no complete answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return FuzzOutcome.Failed($"transport: {ex.Message} {ex.InnerException?.Message}");
        }
        catch (IOException ex)
        {
            return FuzzOutcome.Failed($"transport: {ex.Message}");
        }
    }

    private HttpRequestMessage Build(FuzzRequest request, string key, string canary)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.Grpc ? grpc : http, request.Path));
        if (request.Grpc)
        {
            message.Version = HttpVersion.Version20;
            message.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
            message.Headers.TryAddWithoutValidation("te", "trailers");
        }
        var authorization = request.Authorization ?? $"Bearer {key}";
        if (authorization.Length > 0)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        message.Headers.TryAddWithoutValidation("x-fuzz-canary", canary);
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        if (request.Body.Length > 0 || request.Method == "POST")
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = null;
            if (request.ContentType is { } type)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }
        return message;
    }

    private static async Task<byte[]> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var kept = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (kept.Length < KeptBytes)
            {
                kept.Write(buffer, 0, (int)Math.Min(read, KeptBytes - kept.Length));
            }
        }
        return kept.ToArray();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.TrailingHeaders.TryGetValues(name, out values) ? values.FirstOrDefault() : null;

    public void Dispose() => _client.Dispose();
}

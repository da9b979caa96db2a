using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Pipeline.ServiceDefaults.Http;

/// <summary>
/// How many connections a client keeps to each service (<c>Pipeline:ConnectionsPerService</c>, default 1, at most 16).
/// Replicas sit behind a load balancer that balances connections, not calls (DCP's proxy under the AppHost's scaled profile,
/// a Kubernetes ClusterIP Service), and HTTP/2 carries every call of a client on one connection: with one connection, one
/// replica would get all of a client's calls. With several, calls go round the connections and so round the replicas.
/// </summary>
public static class ConnectionSpread
{
    /// <summary>The configuration key.</summary>
    public const string ConfigurationKey = "Pipeline:ConnectionsPerService";

    /// <summary>The largest value accepted.</summary>
    public const int Max = 16;

    /// <summary>The configured count; throws naming the key and the allowed range when it is not a whole number from 1 to <see cref="Max"/>.</summary>
    public static int From(IConfiguration configuration)
    {
        var text = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return 1;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= Max
            ? count
            : throw new InvalidOperationException($"'{ConfigurationKey}' is '{text}'; allowed: a whole number from 1 to {Max} (default 1).");
    }
}

/// <summary>
/// Sends each request through the next of several handlers in turn, each with its own connection pool (see
/// <see cref="ConnectionSpread"/>). Disposes them with itself.
/// </summary>
public sealed class ConnectionSpreadingHandler : HttpMessageHandler
{
    private readonly HttpMessageInvoker[] _connections;
    private int _next = -1;

    /// <summary>Spreads over <paramref name="count"/> handlers made by <paramref name="create"/>.</summary>
    public ConnectionSpreadingHandler(int count, Func<HttpMessageHandler> create)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _connections = [.. Enumerable.Range(0, count).Select(_ => new HttpMessageInvoker(create(), disposeHandler: true))];
    }

    /// <summary>Spreads over the given invokers (e.g. YARP's, one per connection pool).</summary>
    public ConnectionSpreadingHandler(IReadOnlyList<HttpMessageInvoker> connections)
    {
        ArgumentOutOfRangeException.ThrowIfZero(connections.Count);
        _connections = [.. connections];
    }

    /// <summary>How many connection pools requests are spread over.</summary>
    public int Count => _connections.Length;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Next().SendAsync(request, cancellationToken);

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Next().Send(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    private HttpMessageInvoker Next() => _connections[(int)((uint)Interlocked.Increment(ref _next) % (uint)_connections.Length)];
}

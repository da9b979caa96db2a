using System.Collections.Concurrent;

namespace Pipeline.Tests.Adapters;

/// <summary>Records the headers of every request the adapter's HttpClients send (a DelegatingHandler in front of the wire).</summary>
internal sealed class OutgoingRequests
{
    public sealed record Sent(HttpMethod Method, Uri? Uri, IReadOnlyDictionary<string, string> Headers);

    private readonly ConcurrentQueue<Sent> _sent = new();

    public IReadOnlyList<Sent> All => [.. _sent];

    public DelegatingHandler CreateHandler() => new Recorder(this);

    private sealed class Recorder(OutgoingRequests owner) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            owner._sent.Enqueue(new Sent(request.Method, request.RequestUri, headers));
            return base.SendAsync(request, cancellationToken);
        }
    }
}

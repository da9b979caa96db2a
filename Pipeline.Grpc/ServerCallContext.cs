using Microsoft.AspNetCore.Http;
using Pipeline.Grpc.Internal;

namespace Pipeline.Grpc;

/// <summary>What a server handler knows about its call: headers, deadline, cancellation, and trailers to send.</summary>
public sealed class ServerCallContext
{
    private readonly HttpContext _httpContext;

    internal ServerCallContext(HttpContext httpContext, string method, Metadata requestHeaders, DateTime deadline, CancellationToken cancellationToken)
    {
        _httpContext = httpContext;
        Method = method;
        RequestHeaders = requestHeaders;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>The method's path, e.g. <c>/storage.v1.Storage/PutImage</c>.</summary>
    public string Method { get; }

    /// <summary>The caller's address, e.g. <c>ipv4:127.0.0.1:53122</c>.</summary>
    public string Peer => PeerFormatter.Format(_httpContext.Connection);

    /// <summary>When the call must end (UTC); <see cref="DateTime.MaxValue"/> when the caller set none.</summary>
    public DateTime Deadline { get; }

    /// <summary>Custom metadata the caller sent.</summary>
    public Metadata RequestHeaders { get; }

    /// <summary>Metadata to send in the trailers, whatever the status.</summary>
    public Metadata ResponseTrailers { get; } = new();

    /// <summary>Cancelled when the caller goes away or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Services of the call's scope.</summary>
    public IServiceProvider Services => _httpContext.RequestServices;

    /// <summary>Headers to send before the first message; set them before the first write.</summary>
    internal Metadata? PendingResponseHeaders { get; private set; }

    /// <summary>The underlying HTTP/2 request.</summary>
    public HttpContext GetHttpContext() => _httpContext;

    /// <summary>Sends response headers now (they are otherwise sent with the first message or the status).</summary>
    public Task WriteResponseHeadersAsync(Metadata headers)
    {
        if (_httpContext.Response.HasStarted)
        {
            throw new InvalidOperationException("Response headers can only be sent once per call.");
        }
        PendingResponseHeaders = headers;
        MetadataCodec.WriteHeaders(headers, _httpContext.Response.Headers);
        return _httpContext.Response.StartAsync(CancellationToken);
    }
}


namespace Pipeline.Grpc.Internal;

internal static class ChannelHandlerFactory
{
    /// <summary>
    /// One pooled handler per channel: extra HTTP/2 connections when a peer's stream limit is reached, and keep-alive
    /// pings no more often than every 5 minutes (grpc-core servers answer faster pings with GOAWAY too_many_pings).
    /// </summary>
    public static SocketsHttpHandler Create() => new()
    {
        EnableMultipleHttp2Connections = true,
        KeepAlivePingDelay = TimeSpan.FromMinutes(5),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        UseProxy = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    };
}

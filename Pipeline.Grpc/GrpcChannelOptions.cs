namespace Pipeline.Grpc;

/// <summary>Options of a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>Largest response message accepted, in bytes. Default 4 MiB; null = unlimited.</summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest request message sent, in bytes. Default null = unlimited.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// The HTTP handler to send calls through. Default: a pooled <see cref="System.Net.Http.SocketsHttpHandler"/>
    /// owned by the channel (several HTTP/2 connections when one is full, keep-alive pings every 5 minutes while calls run).
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Whether disposing the channel disposes <see cref="HttpHandler"/>. Default true.</summary>
    public bool DisposeHttpHandler { get; set; } = true;
}

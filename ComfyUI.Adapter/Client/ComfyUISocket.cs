using System.Buffers;
using System.Net.WebSockets;
using Pipeline.Providers;

namespace ComfyUI.Adapter.Client;

/// <summary>
/// ComfyUI's websocket for one client id (<c>{BaseUrl}/ws?clientId=…</c>, ws or wss): opened, and greeted with ComfyUI's
/// first <c>status</c> message, before the prompt is queued, so no message of the run is missed (the server files the socket
/// under its client id only after the upgrade; a prompt queued in between would run unheard). Read one whole message at a
/// time (at most <c>maxMessageBytes</c>).
/// </summary>
internal sealed class ComfyUISocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly long _maxMessageBytes;

    private ComfyUISocket(ClientWebSocket socket, long maxMessageBytes)
    {
        _socket = socket;
        _maxMessageBytes = maxMessageBytes;
    }

    /// <summary>The websocket address for <paramref name="clientId"/> under <paramref name="baseUrl"/>.</summary>
    public static Uri AddressOf(Uri baseUrl, string clientId)
    {
        var builder = new UriBuilder(baseUrl)
        {
            Scheme = baseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Query = "clientId=" + Uri.EscapeDataString(clientId),
        };
        builder.Path = builder.Path.TrimEnd('/') + "/ws";
        return builder.Uri;
    }

    /// <summary>
    /// Opens the socket, sending <paramref name="headers"/> (the adapter's configured extra headers) on the upgrade, and waits
    /// for ComfyUI's greeting (<c>status</c> with the client's <c>sid</c>), the sign that messages for this client reach it.
    /// </summary>
    public static async Task<ComfyUISocket> ConnectAsync(Uri address, IReadOnlyDictionary<string, string> headers, long maxMessageBytes, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        foreach (var (name, value) in headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }
        try
        {
            await socket.ConnectAsync(address, cancellationToken);
        }
        catch (WebSocketException ex)
        {
            socket.Dispose();
            throw new ProviderException(ProviderFailureKind.Unavailable,
                $"Could not open ComfyUI's websocket at {address.GetLeftPart(UriPartial.Path)}: {ex.Message}", innerException: ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var opened = new ComfyUISocket(socket, maxMessageBytes);
        try
        {
            await opened.GreetingAsync(address, cancellationToken);
            return opened;
        }
        catch
        {
            await opened.DisposeAsync();
            throw;
        }
    }

    private async Task GreetingAsync(Uri address, CancellationToken cancellationToken)
    {
        while (await ReceiveAsync(cancellationToken) is { } message)
        {
            if (message.Type == "status")
            {
                return;
            }
        }
        throw new ProviderException(ProviderFailureKind.Unavailable,
            $"ComfyUI closed its websocket at {address.GetLeftPart(UriPartial.Path)} before greeting the client.");
    }

    /// <summary>The next whole message, or null when ComfyUI closed the socket.</summary>
    public async Task<SocketMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.GetMemory(16 * 1024), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                buffer.Advance(result.Count);
                if (buffer.WrittenCount > _maxMessageBytes)
                {
                    throw new ProviderException(ProviderFailureKind.MalformedResponse,
                        $"ComfyUI sent a websocket message of more than {_maxMessageBytes} bytes (the image cap).");
                }
                if (result.EndOfMessage)
                {
                    return result.MessageType == WebSocketMessageType.Text
                        ? SocketMessage.FromText(buffer.WrittenSpan)
                        : SocketMessage.FromBinary(buffer.WrittenMemory);
                }
            }
        }
        catch (WebSocketException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(ProviderFailureKind.Unavailable, $"ComfyUI's websocket failed mid-run: {ex.Message}", innerException: ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Best effort: the socket is disposed below either way.
            }
        }
        _socket.Dispose();
    }
}

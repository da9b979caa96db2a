using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using ProviderEmulator.Hosting;

namespace ProviderEmulator.ComfyUI;

/// <summary>
/// The open <c>/ws</c> sockets by client id (ComfyUI's <c>sid</c>). Messages for a client without a socket are dropped, as
/// ComfyUI drops them. JSON messages are <c>{"type", "data"}</c>; previews are binary: event 1 (PREVIEW_IMAGE) and image
/// type 1 (JPEG), both 4-byte big-endian, then the image.
/// </summary>
internal sealed class ComfyUISockets
{
    private const uint PreviewImageEvent = 1;
    private const uint JpegImageType = 1;
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public Session Open(string clientId, WebSocket socket, HttpContext context)
    {
        var session = new Session(socket, context);
        _sessions[clientId] = session;
        return session;
    }

    public void Close(string clientId, Session session) => _sessions.TryRemove(new KeyValuePair<string, Session>(clientId, session));

    public Task SendAsync(string clientId, string type, JsonObject data) =>
        _sessions.TryGetValue(clientId, out var session) ? session.SendAsync(Json(type, data), WebSocketMessageType.Text) : Task.CompletedTask;

    public Task SendPreviewAsync(string clientId, byte[] jpeg)
    {
        if (!_sessions.TryGetValue(clientId, out var session))
        {
            return Task.CompletedTask;
        }
        var frame = new byte[8 + jpeg.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, PreviewImageEvent);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), JpegImageType);
        jpeg.CopyTo(frame, 8);
        return session.SendAsync(frame, WebSocketMessageType.Binary);
    }

    public Task BroadcastAsync(string type, JsonObject data) =>
        Task.WhenAll(_sessions.Values.Select(s => s.SendAsync(Json(type, data), WebSocketMessageType.Text)));

    /// <summary>Drops the client's connection on purpose (fault <c>cut-stream</c>).</summary>
    public void Cut(string clientId)
    {
        if (_sessions.TryGetValue(clientId, out var session))
        {
            session.Cut();
        }
    }

    private static byte[] Json(string type, JsonObject data) =>
        Encoding.UTF8.GetBytes(EmulatorJson.Serialize(new JsonObject { ["type"] = type, ["data"] = data }));

    /// <summary>One client's socket; sends go one at a time.</summary>
    internal sealed class Session(WebSocket socket, HttpContext context)
    {
        private readonly SemaphoreSlim _send = new(1, 1);

        public async Task SendAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type)
        {
            await _send.WaitAsync();
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    await socket.SendAsync(message, type, endOfMessage: true, context.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away; ComfyUI logs and carries on, so does the emulator.
            }
            finally
            {
                _send.Release();
            }
        }

        /// <summary>Answers the client's close handshake under the send lock.</summary>
        public async Task CloseAsync()
        {
            await _send.WaitAsync();
            try
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
            {
                // Closing a socket the client already dropped.
            }
            finally
            {
                _send.Release();
            }
        }

        public void Cut()
        {
            EmulatorRequest.Get(context).CutByEmulator = true;
            socket.Abort();
            context.Abort();
        }
    }
}

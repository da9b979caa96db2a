using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Tests.Browser;

/// <summary>
/// A minimal Chrome DevTools Protocol client over one WebSocket (System.Net.WebSockets): commands with ids, replies
/// matched by id, page sessions by <c>sessionId</c> (flat mode), and the events tests care about (uncaught
/// exceptions, console errors) collected.
/// </summary>
internal sealed class DevToolsSession : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiveLoop = Task.CompletedTask;
    private int _nextId;

    /// <summary>Uncaught exceptions and console errors the page reported.</summary>
    public IReadOnlyList<string> PageErrors => [.. _pageErrors];

    public static async Task<DevToolsSession> ConnectAsync(Uri browserEndpoint)
    {
        var session = new DevToolsSession();
        session._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await session._socket.ConnectAsync(browserEndpoint, CancellationToken.None).DefaultTimeout();
        session._receiveLoop = Task.Run(session.ReceiveAsync);
        return session;
    }

    /// <summary>Sends a command (to the browser, or to a page when <paramref name="sessionId"/> is given) and returns its result.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null, string? sessionId = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = JsonSerializer.SerializeToNode(parameters ?? new { }) };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();
        }
        finally
        {
            _sendLock.Release();
        }
        return await reply.Task.DefaultTimeout();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                Dispatch(JsonDocument.Parse(message.ToArray()).RootElement.Clone());
                message.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closing.
        }
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new InvalidOperationException("The DevTools connection closed."));
        }
    }

    private void Dispatch(JsonElement message)
    {
        if (message.TryGetProperty("id", out var idElement) && _pending.TryRemove(idElement.GetInt32(), out var reply))
        {
            if (message.TryGetProperty("error", out var error))
            {
                reply.TrySetException(new InvalidOperationException($"DevTools error: {error}"));
            }
            else
            {
                reply.TrySetResult(message.GetProperty("result"));
            }
            return;
        }
        var method = message.TryGetProperty("method", out var m) ? m.GetString() : null;
        if (method == "Runtime.exceptionThrown")
        {
            _pageErrors.Enqueue("exception: " + message.GetProperty("params").GetProperty("exceptionDetails"));
        }
        else if (method == "Runtime.consoleAPICalled" && message.GetProperty("params").GetProperty("type").GetString() == "error")
        {
            _pageErrors.Enqueue("console.error: " + message.GetProperty("params").GetProperty("args"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // The browser is about to be stopped anyway.
        }
        await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(10));
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}

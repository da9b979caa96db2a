using System.Text.Json.Nodes;
using System.Threading.Channels;
using ProviderEmulator.Faults;

namespace ProviderEmulator.ComfyUI;

/// <summary>
/// ComfyUI's prompt queue: one prompt runs at a time (one GPU), in the order queued. Prompts can be deleted while pending and
/// interrupted while running; every change of the queue is broadcast as a <c>status</c> message.
/// </summary>
internal sealed partial class ComfyUIQueue
{
    private readonly ComfyUIExecutor _executor;
    private readonly ComfyUISockets _sockets;
    private readonly ILogger<ComfyUIQueue> _logger;
    private readonly Channel<QueuedPrompt> _channel = Channel.CreateUnbounded<QueuedPrompt>(new UnboundedChannelOptions { SingleReader = true });
    private readonly object _gate = new();
    private readonly List<QueuedPrompt> _pending = [];
    private QueuedPrompt? _running;
    private long _number;

    public ComfyUIQueue(ComfyUIExecutor executor, ComfyUISockets sockets, ILogger<ComfyUIQueue> logger, CancellationToken stopping)
    {
        _executor = executor;
        _sockets = sockets;
        _logger = logger;
        _ = Task.Run(() => WorkAsync(stopping), CancellationToken.None);
    }

    /// <summary><c>{"exec_info": {"queue_remaining": N}}</c>: pending plus running.</summary>
    public JsonObject Info
    {
        get
        {
            lock (_gate)
            {
                return new JsonObject { ["exec_info"] = new JsonObject { ["queue_remaining"] = _pending.Count + (_running is null ? 0 : 1) } };
            }
        }
    }

    public QueuedPrompt Enqueue(JsonObject workflow, WorkflowJob job, IReadOnlyList<string> outputs, string clientId, FaultPlan faults)
    {
        QueuedPrompt prompt;
        lock (_gate)
        {
            prompt = new QueuedPrompt
            {
                Id = Guid.NewGuid().ToString(),
                Number = _number++,
                ClientId = clientId,
                Workflow = workflow,
                Job = job,
                Outputs = outputs,
                Faults = faults,
            };
            _pending.Add(prompt);
        }
        _channel.Writer.TryWrite(prompt);
        _ = BroadcastStatusAsync();
        return prompt;
    }

    /// <summary><c>GET /queue</c>: <c>{"queue_running": [item], "queue_pending": [items]}</c>.</summary>
    public JsonObject Snapshot()
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["queue_running"] = new JsonArray([.. (_running is null ? [] : new[] { _running }).Select(p => (JsonNode)p.ToQueueItem())]),
                ["queue_pending"] = new JsonArray([.. _pending.Select(p => (JsonNode)p.ToQueueItem())]),
            };
        }
    }

    /// <summary>Takes pending prompts off the queue (<c>{"delete": [ids]}</c>, or all for <c>{"clear": true}</c>).</summary>
    public void Delete(Func<QueuedPrompt, bool> match)
    {
        lock (_gate)
        {
            foreach (var prompt in _pending.Where(match).ToList())
            {
                prompt.Deleted = true;
                _pending.Remove(prompt);
            }
        }
        _ = BroadcastStatusAsync();
    }

    /// <summary>Interrupts the running prompt: any, or only <paramref name="promptId"/> when given. True when one was interrupted.</summary>
    public bool Interrupt(string? promptId)
    {
        lock (_gate)
        {
            if (_running is not { } running || (promptId is not null && running.Id != promptId))
            {
                return false;
            }
            running.Interrupt.Cancel();
            return true;
        }
    }

    private async Task WorkAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var prompt in _channel.Reader.ReadAllAsync(stopping))
            {
                lock (_gate)
                {
                    if (prompt.Deleted)
                    {
                        continue;
                    }
                    _pending.Remove(prompt);
                    _running = prompt;
                }
                try
                {
                    await _executor.RunAsync(prompt, stopping);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    PromptFailed(_logger, ex, prompt.Id);
                }
                finally
                {
                    lock (_gate)
                    {
                        _running = null;
                    }
                    prompt.Interrupt.Dispose();
                }
                await BroadcastStatusAsync();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The emulator is stopping.
        }
    }

    private Task BroadcastStatusAsync() => _sockets.BroadcastAsync("status", new JsonObject { ["status"] = Info });

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "ComfyUI prompt {PromptId} failed inside the emulator")]
    private static partial void PromptFailed(ILogger logger, Exception exception, string promptId);
}

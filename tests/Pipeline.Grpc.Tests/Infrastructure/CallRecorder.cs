using System.Collections.Concurrent;

namespace Pipeline.Grpc.Tests.Infrastructure;

/// <summary>What the in-process interop service saw, keyed by the id the caller chose.</summary>
public sealed class CallRecorder
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _outcomes = new();

    /// <summary>Completes with "cancelled" once the handler's token fired for call <paramref name="id"/>.</summary>
    public Task<string> OutcomeAsync(string id) => Get(id).Task;

    public bool HasOutcome(string id) => _outcomes.TryGetValue(id, out var tcs) && tcs.Task.IsCompleted;

    public void Record(string id, string outcome) => Get(id).TrySetResult(outcome);

    private TaskCompletionSource<string> Get(string id) =>
        _outcomes.GetOrAdd(id, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
}

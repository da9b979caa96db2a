using System.Collections.Concurrent;

namespace Pipeline.Reliability.Fuzz;

/// <summary>The running counts of a fuzz run, safe to update from concurrent cases.</summary>
public sealed class FuzzTally
{
    private readonly ConcurrentDictionary<FuzzTarget, int> _tried = new();
    private readonly ConcurrentDictionary<VerdictKind, int> _verdicts = new();
    private readonly ConcurrentQueue<(int Index, string Line)> _failures = new();

    public IReadOnlyDictionary<FuzzTarget, int> Tried => _tried;

    public IReadOnlyDictionary<VerdictKind, int> Verdicts => _verdicts;

    /// <summary>Requests the gateway's limiter refused and the suite sent again.</summary>
    public int Retried;

    public void Record(FuzzCase @case, Verdict verdict, TextWriter log)
    {
        _tried.AddOrUpdate(@case.Target, 1, (_, n) => n + 1);
        _verdicts.AddOrUpdate(verdict.Kind, 1, (_, n) => n + 1);
        if (verdict.Failed)
        {
            var line = $"{verdict.Kind}: {verdict.Reason} | {@case.Describe()}";
            _failures.Enqueue((@case.Index, line));
            lock (log)
            {
                log.WriteLine($"  FAIL {line}");
            }
        }
    }

    public void RecordFailure(string line, TextWriter log)
    {
        _failures.Enqueue((int.MaxValue, line));
        lock (log)
        {
            log.WriteLine($"  FAIL {line}");
        }
    }

    public int Count(VerdictKind kind) => _verdicts.GetValueOrDefault(kind);

    public IReadOnlyList<string> Failures => [.. _failures.OrderBy(f => f.Index).Select(f => f.Line)];
}

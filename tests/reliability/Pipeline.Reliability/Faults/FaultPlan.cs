namespace Pipeline.Reliability.Faults;

/// <summary>Which faults to inject: all, or only the fast ones (CI and --quick).</summary>
public sealed record FaultPlan(bool FastOnly);

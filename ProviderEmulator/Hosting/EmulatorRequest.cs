using ProviderEmulator.Faults;

namespace ProviderEmulator.Hosting;

/// <summary>Per-request emulator state, kept in <see cref="HttpContext.Items"/>.</summary>
internal sealed class EmulatorRequest(string id, ApiFamily family, FaultPlan faults)
{
    private static readonly object Key = new();

    public string Id { get; } = id;

    public ApiFamily Family { get; } = family;

    public FaultPlan Faults { get; } = faults;

    /// <summary>Corrupts this reply's JSON and events (fault <c>mutate</c>); null without it.</summary>
    public ReplyMutator? Mutator { get; } = faults.MutateSeed is { } seed ? new ReplyMutator(seed) : null;

    /// <summary>Set when the emulator dropped the connection on purpose (cut-stream), so it is not logged as a client disconnect.</summary>
    public bool CutByEmulator { get; set; }

    public static EmulatorRequest Get(HttpContext context) =>
        context.Items[Key] as EmulatorRequest ?? new EmulatorRequest("req_unknown", ApiFamily.None, FaultPlan.None);

    public void Attach(HttpContext context) => context.Items[Key] = this;
}

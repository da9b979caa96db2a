using Pipeline.Contracts.Storage.V1;

namespace Storage.Service.Metadata;

/// <summary>Which runs a listing selects (besides the caller's tenant).</summary>
/// <param name="Config">Only runs of this config; "" = all.</param>
/// <param name="State">Only runs in this state; unspecified = all.</param>
/// <param name="CreatedAfterMicros">Only runs created at or after this time (Unix microseconds).</param>
/// <param name="CreatedBeforeMicros">Only runs created before this time (Unix microseconds).</param>
public sealed record RunFilter(string Config, RunState State = RunState.Unspecified, long? CreatedAfterMicros = null, long? CreatedBeforeMicros = null)
{
    /// <summary>No filter.</summary>
    public static RunFilter None { get; } = new("");

    /// <summary>What a page token is bound to: the same filters must come with it. "" for <see cref="None"/>.</summary>
    public string Key => this == None ? "" : $"{Config}|{(int)State}|{CreatedAfterMicros}|{CreatedBeforeMicros}";
}

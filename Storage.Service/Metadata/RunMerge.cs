using Pipeline.Contracts.Storage.V1;

namespace Storage.Service.Metadata;

/// <summary>The upsert rule of the contract: fields of the update left empty keep the stored value.</summary>
internal static class RunMerge
{
    /// <summary>A new record: <paramref name="stored"/> with every non-empty field of <paramref name="update"/> applied (images not included).</summary>
    public static RunRecord Apply(RunRecord stored, RunRecord update)
    {
        var merged = stored.Clone();
        merged.Images.Clear();
        merged.Config = Pick(update.Config, stored.Config);
        merged.Mode = Pick(update.Mode, stored.Mode);
        merged.Provider = Pick(update.Provider, stored.Provider);
        merged.Model = Pick(update.Model, stored.Model);
        merged.Operation = Pick(update.Operation, stored.Operation);
        merged.Prompt = Pick(update.Prompt, stored.Prompt);
        merged.RevisedPrompt = Pick(update.RevisedPrompt, stored.RevisedPrompt);
        merged.TraceId = Pick(update.TraceId, stored.TraceId);
        merged.Error = Pick(update.Error, stored.Error);
        merged.Tenant = Pick(update.Tenant, stored.Tenant);
        merged.ParentRunId = Pick(update.ParentRunId, stored.ParentRunId);
        if (update.Parameters is not null)
        {
            merged.Parameters = update.Parameters.Clone();
        }
        if (update.HasSeed)
        {
            merged.Seed = update.Seed;
        }
        if (update.State != RunState.Unspecified)
        {
            merged.State = update.State;
        }
        if (update.StartedAt is not null)
        {
            merged.StartedAt = update.StartedAt.Clone();
        }
        if (update.CompletedAt is not null)
        {
            merged.CompletedAt = update.CompletedAt.Clone();
        }
        if (update.Usage is not null)
        {
            merged.Usage = update.Usage.Clone();
        }
        if (update.CostUsdMicros != 0)
        {
            merged.CostUsdMicros = update.CostUsdMicros;
        }
        // A run is local once any record of it says so (a replay's record does not undo it).
        merged.Local = stored.Local || update.Local;
        if (update.HasCostKnown)
        {
            merged.CostKnown = update.CostKnown;
        }
        if (update.RequestDigest.Count > 0)
        {
            merged.RequestDigest.Clear();
            merged.RequestDigest.Add(update.RequestDigest);
        }
        if (update.Attempts.Count > 0)
        {
            merged.Attempts.Clear();
            merged.Attempts.AddRange(update.Attempts.Select(a => a.Clone()));
        }
        return merged;
    }

    private static string Pick(string update, string stored) => update.Length > 0 ? update : stored;
}

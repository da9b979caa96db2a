using Pipeline.Contracts.Common.V1;
using Router.Service.Catalogue;

namespace Router.Service.Generation;

/// <summary>
/// One config a run may try: either an attempt it can make, or the reason it must pass over the config (the request
/// is not valid for it, or the caller brought no key for its provider and its tenant may not use the fleet's key).
/// </summary>
/// <param name="Config">The config.</param>
/// <param name="Attempt">The attempt, when the config can be called.</param>
/// <param name="SkipReason">Why the config is passed over; null when it can be called.</param>
public sealed record PlannedAttempt(ConfigDefinition Config, GenerationAttempt? Attempt, string? SkipReason)
{
    /// <summary>The record of this config being passed over.</summary>
    public RunAttempt Skipped() => new()
    {
        Config = Config.Name,
        Provider = Config.Chunk.Provider,
        Model = Config.Chunk.Model,
        Outcome = AttemptOutcome.Skipped,
        Reason = SkipReason ?? "",
    };
}

/// <summary>
/// The configs a run may try, in order: the config asked for, then its fallbacks depth first (a fallback's own
/// fallbacks come right after it, so chains A → B → C work), each config once.
/// </summary>
public static class AttemptPlanner
{
    /// <summary>Every config <paramref name="primary"/> may reach, planned for <paramref name="input"/> and <paramref name="call"/>.</summary>
    public static IReadOnlyList<PlannedAttempt> Plan(GenerationAttempt primary, CatalogueSnapshot catalogue, GenerationInput input, CallContext call)
    {
        var planned = new List<PlannedAttempt>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Visit(primary.Config, primary, catalogue, input, call, planned, seen);
        return planned;
    }

    private static void Visit(
        ConfigDefinition config, GenerationAttempt? attempt, CatalogueSnapshot catalogue, GenerationInput input, CallContext call,
        List<PlannedAttempt> planned, HashSet<string> seen)
    {
        if (!seen.Add(config.Name))
        {
            return;
        }
        string? skip = null;
        if (attempt is null)
        {
            var validation = RequestValidator.Validate(config, input);
            if (validation.IsValid)
            {
                attempt = new GenerationAttempt(config, validation.Parameters!, validation.Prompt!);
            }
            else
            {
                skip = "the request is not valid for it: " + string.Join("; ", validation.Violations.Select(v => v.Description));
            }
        }
        var provider = config.Chunk.Provider;
        if (skip is null && config.Chunk.NeedsProviderKey && !call.ProviderKeys.ContainsKey(provider) && !call.Caller.FleetProviderKeys)
        {
            skip = $"the caller sent no {provider} key ({Pipeline.ServiceDefaults.Security.ProviderKeyHeaders.For(provider)}) and tenant " +
                $"'{call.Caller.Tenant}' may not use the fleet's";
        }
        planned.Add(new PlannedAttempt(config, skip is null ? attempt : null, skip));
        foreach (var name in config.Fallbacks)
        {
            if (catalogue.TryGetConfig(name, out var fallback))
            {
                Visit(fallback, null, catalogue, input, call, planned, seen);
            }
        }
    }
}

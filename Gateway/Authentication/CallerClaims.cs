using System.Globalization;
using System.Security.Claims;
using Gateway.Configuration;
using Pipeline.ServiceDefaults.Security;

namespace Gateway.Authentication;

/// <summary>
/// The <see cref="Caller"/> an API key authenticates, as claims of the request's <see cref="ClaimsPrincipal"/>, and back:
/// the one place a principal becomes the caller the gateway forwards.
/// </summary>
public static class CallerClaims
{
    public const string TenantClaim = "pipeline:tenant";
    public const string RoleClaim = "pipeline:role";
    public const string FleetProviderKeysClaim = "pipeline:fleet_provider_keys";
    public const string MonthlyBudgetClaim = "pipeline:monthly_budget_usd_micros";

    /// <summary>The claims of a call made with <paramref name="key"/>: its digest (the rate-limit partition) and its caller.</summary>
    public static IEnumerable<Claim> Of(ApiKey key)
    {
        yield return new Claim(ApiKeyDefaults.KeyHashClaim, key.Hash);
        yield return new Claim(TenantClaim, key.Caller.Tenant);
        yield return new Claim(RoleClaim, key.Caller.IsAdmin ? "admin" : "member");
        yield return new Claim(FleetProviderKeysClaim, key.Caller.FleetProviderKeys ? "true" : "false");
        if (key.Caller.MonthlyBudgetUsdMicros is { } budget)
        {
            yield return new Claim(MonthlyBudgetClaim, budget.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// The caller of an authenticated request; null for an anonymous one (every forwarded route requires a key, so a
    /// forwarded call always has one).
    /// </summary>
    public static Caller? ToCaller(this ClaimsPrincipal user)
    {
        if (user.FindFirst(TenantClaim)?.Value is not { } tenant)
        {
            return null;
        }
        return new Caller(
            tenant,
            user.FindFirst(RoleClaim)?.Value == "admin" ? CallerRole.Admin : CallerRole.Member,
            user.FindFirst(FleetProviderKeysClaim)?.Value != "false",
            user.FindFirst(MonthlyBudgetClaim)?.Value is { } budget ? long.Parse(budget, CultureInfo.InvariantCulture) : null);
    }
}

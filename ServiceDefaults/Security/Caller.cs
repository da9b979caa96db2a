using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Pipeline.ServiceDefaults.Security;

/// <summary>A caller's role: a member reads its own tenant's runs, an admin reads every tenant's.</summary>
public enum CallerRole
{
    Member,
    Admin,
}

/// <summary>
/// Who a call is made for, as the gateway established it from the API key: the tenant, the role, whether the tenant may
/// use the fleet's provider keys when it brings none of its own, and its optional monthly budget. It travels between
/// services as request headers (gRPC metadata) inside calls authenticated by the <see cref="InternalSecret"/>; the
/// gateway removes any a client sends. A call with no tenant header is made for <see cref="Default"/>.
/// </summary>
/// <param name="Tenant">The tenant: 1-64 of <c>[a-z0-9_-]</c>, starting with a letter or digit.</param>
/// <param name="Role">The role.</param>
/// <param name="FleetProviderKeys">Whether the fleet's own provider keys may serve a call that brings no key for that provider.</param>
/// <param name="MonthlyBudgetUsdMicros">What the tenant may spend per calendar month (UTC), in millionths of a US dollar; null: no budget.</param>
public sealed record Caller(string Tenant, CallerRole Role = CallerRole.Member, bool FleetProviderKeys = true, long? MonthlyBudgetUsdMicros = null)
{
    public const string TenantHeader = "x-pipeline-tenant";
    public const string RoleHeader = "x-pipeline-role";
    public const string FleetProviderKeysHeader = "x-pipeline-fleet-provider-keys";
    public const string BudgetHeader = "x-pipeline-monthly-budget-usd-micros";

    /// <summary>The tenant of a call that names none (a single-tenant fleet, an internal caller).</summary>
    public const string DefaultTenant = "default";

    /// <summary>Every header a <see cref="Caller"/> travels in: a front door removes them from what clients send.</summary>
    public static IReadOnlyList<string> Headers { get; } = [TenantHeader, RoleHeader, FleetProviderKeysHeader, BudgetHeader];

    /// <summary>A member of <see cref="DefaultTenant"/> with the fleet's keys and no budget.</summary>
    public static Caller Default { get; } = new(DefaultTenant);

    /// <summary>True for an admin.</summary>
    public bool IsAdmin => Role == CallerRole.Admin;

    /// <summary>Whether this caller may see a run of <paramref name="owner"/> (empty: the default tenant).</summary>
    public bool CanSee(string owner) => IsAdmin || string.Equals(Tenant, OwnerOf(owner), StringComparison.Ordinal);

    /// <summary>The tenant a stored run belongs to: its tenant field, or <see cref="DefaultTenant"/> when empty.</summary>
    public static string OwnerOf(string tenant) => tenant.Length == 0 ? DefaultTenant : tenant;

    /// <summary>Null when <paramref name="tenant"/> is a valid tenant name; else what is wrong with it.</summary>
    public static string? CheckTenant(string? tenant)
    {
        if (string.IsNullOrEmpty(tenant) || tenant.Length > 64 || !char.IsAsciiLetterOrDigit(tenant[0])
            || !tenant.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
        {
            return $"tenant '{tenant}' is not valid; use 1-64 of [a-z0-9_-], starting with a letter or digit";
        }
        return null;
    }

    /// <summary>The caller of an HTTP request; throws <see cref="FormatException"/> for malformed headers.</summary>
    public static Caller From(IHeaderDictionary headers) => Parse(
        headers[TenantHeader].ToString(), headers[RoleHeader].ToString(), headers[FleetProviderKeysHeader].ToString(), headers[BudgetHeader].ToString());

    /// <summary>The caller of a gRPC call; throws <see cref="FormatException"/> for malformed metadata.</summary>
    public static Caller From(Metadata headers) => Parse(
        headers.GetValue(TenantHeader) ?? "", headers.GetValue(RoleHeader) ?? "", headers.GetValue(FleetProviderKeysHeader) ?? "", headers.GetValue(BudgetHeader) ?? "");

    /// <summary>The caller as headers, for <see cref="Metadata"/>, an HTTP request or a proxied one.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToHeaders()
    {
        yield return new(TenantHeader, Tenant);
        yield return new(RoleHeader, Role == CallerRole.Admin ? "admin" : "member");
        yield return new(FleetProviderKeysHeader, FleetProviderKeys ? "allow" : "deny");
        if (MonthlyBudgetUsdMicros is { } budget)
        {
            yield return new(BudgetHeader, budget.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Adds the caller's headers to <paramref name="metadata"/> (created when null).</summary>
    public Metadata AddTo(Metadata? metadata)
    {
        metadata ??= [];
        foreach (var (name, value) in ToHeaders())
        {
            metadata.Add(name, value);
        }
        return metadata;
    }

    private static Caller Parse(string tenant, string role, string fleetKeys, string budget)
    {
        if (tenant.Length == 0)
        {
            return role.Length == 0 && fleetKeys.Length == 0 && budget.Length == 0
                ? Default
                : throw new FormatException($"'{TenantHeader}' is required with the other caller headers");
        }
        if (CheckTenant(tenant) is { } problem)
        {
            throw new FormatException(problem);
        }
        var parsedRole = role switch
        {
            "" or "member" => CallerRole.Member,
            "admin" => CallerRole.Admin,
            _ => throw new FormatException($"'{RoleHeader}' is '{role}'; expected member or admin"),
        };
        var allowFleetKeys = fleetKeys switch
        {
            "" or "allow" => true,
            "deny" => false,
            _ => throw new FormatException($"'{FleetProviderKeysHeader}' is '{fleetKeys}'; expected allow or deny"),
        };
        long? parsedBudget = budget.Length == 0 ? null
            : long.TryParse(budget, NumberStyles.None, CultureInfo.InvariantCulture, out var micros) ? micros
            : throw new FormatException($"'{BudgetHeader}' is '{budget}'; expected a whole number of micro-dollars");
        return new Caller(tenant, parsedRole, allowFleetKeys, parsedBudget);
    }
}

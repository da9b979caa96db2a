using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.ServiceDefaults.Security;

namespace Gateway.Configuration;

/// <summary>
/// Turns <c>Gateway:Keys</c>, <c>Gateway:ApiKeys</c> and <c>Gateway:ApiKeyHashes</c> into <see cref="ApiKey"/>s,
/// reporting every problem (a key given twice included). Plain keys are hashed here and dropped.
/// </summary>
internal static class ApiKeysLoader
{
    private const decimal MaxMonthlyBudgetUsd = 1_000_000_000m;

    public static List<ApiKey> Load(GatewaySettings settings, int requestsPerWindow, int concurrentStreams, List<string> errors)
    {
        var keys = new List<(string Source, ApiKey Key)>();
        for (var i = 0; i < settings.Keys.Count; i++)
        {
            if (Entry(settings.Keys[i], $"Gateway:Keys:{i}", requestsPerWindow, concurrentStreams, errors) is { } key)
            {
                keys.Add(($"Gateway:Keys:{i}", key));
            }
        }
        for (var i = 0; i < settings.ApiKeys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(settings.ApiKeys[i]))
            {
                errors.Add($"'Gateway:ApiKeys:{i}' is empty; give the key, or remove the entry.");
                continue;
            }
            keys.Add(($"Gateway:ApiKeys:{i}", Default(HashOf(settings.ApiKeys[i]), requestsPerWindow, concurrentStreams)));
        }
        for (var i = 0; i < settings.ApiKeyHashes.Count; i++)
        {
            if (Digest(settings.ApiKeyHashes[i], $"Gateway:ApiKeyHashes:{i}", errors) is { } digest)
            {
                keys.Add(($"Gateway:ApiKeyHashes:{i}", Default(digest, requestsPerWindow, concurrentStreams)));
            }
        }
        if (settings.Keys.Count == 0 && settings.ApiKeys.Count == 0 && settings.ApiKeyHashes.Count == 0)
        {
            errors.Add("No API key is configured: add 'Gateway:Keys:0:Sha256' (SHA-256 hex of a key) with 'Gateway:Keys:0:Tenant', " +
                "or 'Gateway:ApiKeyHashes:0' / 'Gateway:ApiKeys:0' (tenant default; the AppHost sets the keys it prints).");
        }
        foreach (var group in keys.GroupBy(k => k.Key.Hash).Where(g => g.Count() > 1))
        {
            errors.Add($"{string.Join(", ", group.Select(k => $"'{k.Source}'"))} are the same key (key id {group.First().Key.Id}); " +
                "list each key once, with the tenant it belongs to.");
        }
        return [.. keys.Select(k => k.Key)];
    }

    private static ApiKey? Entry(KeySettings entry, string path, int requestsPerWindow, int concurrentStreams, List<string> errors)
    {
        var count = errors.Count;
        byte[]? digest = null;
        var hasKey = !string.IsNullOrWhiteSpace(entry.Key);
        var hasHash = !string.IsNullOrWhiteSpace(entry.Sha256);
        if (hasKey == hasHash)
        {
            errors.Add($"'{path}' needs exactly one of 'Sha256' (SHA-256 hex of the key, preferred) or 'Key' (plain, hashed at start-up); it has {(hasKey ? "both" : "neither")}.");
        }
        else
        {
            digest = hasKey ? HashOf(entry.Key!) : Digest(entry.Sha256, $"{path}:Sha256", errors);
        }
        if (string.IsNullOrWhiteSpace(entry.Tenant))
        {
            errors.Add($"'{path}:Tenant' is required: the tenant the key belongs to (1-64 of [a-z0-9_-]; 'default' for a single-tenant fleet).");
        }
        else if (Caller.CheckTenant(entry.Tenant) is { } tenantProblem)
        {
            errors.Add($"'{path}:Tenant': {tenantProblem}.");
        }
        CallerRole? role = entry.Role?.Trim().ToLowerInvariant() switch
        {
            null or "" or "member" => CallerRole.Member,
            "admin" => CallerRole.Admin,
            _ => null,
        };
        if (role is null)
        {
            errors.Add($"'{path}:Role' is '{entry.Role}'; allowed: member, admin (default member).");
        }
        var requests = GatewayOptionsLoader.Check(entry.RequestsPerWindow, requestsPerWindow, 1, GatewayOptionsLoader.MaxRequestsPerWindow, $"{path}:RequestsPerWindow", errors);
        var streams = GatewayOptionsLoader.Check(entry.ConcurrentStreams, concurrentStreams, 1, GatewayOptionsLoader.MaxConcurrentStreams, $"{path}:ConcurrentStreams", errors);
        long? budget = null;
        if (entry.MonthlyBudgetUsd is { } usd)
        {
            if (usd <= 0 || usd > MaxMonthlyBudgetUsd || decimal.Round(usd, 6) != usd)
            {
                errors.Add(string.Format(CultureInfo.InvariantCulture,
                    "'{0}:MonthlyBudgetUsd' is {1}; give US dollars above 0 and at most {2}, with at most 6 decimals (e.g. 25.50), or leave it out for no budget.",
                    path, usd, MaxMonthlyBudgetUsd));
            }
            else
            {
                budget = (long)(usd * 1_000_000m);
            }
        }
        if (errors.Count > count || digest is null || role is null)
        {
            return null;
        }
        return new ApiKey(digest, new Caller(entry.Tenant!, role.Value, entry.FleetProviderKeys ?? true, budget), requests, streams);
    }

    private static ApiKey Default(byte[] digest, int requestsPerWindow, int concurrentStreams) =>
        new(digest, Caller.Default, requestsPerWindow, concurrentStreams);

    private static byte[] HashOf(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key.Trim()));

    private static byte[]? Digest(string? value, string path, List<string> errors)
    {
        var hex = value?.Trim() ?? "";
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            errors.Add($"'{path}' is not a SHA-256 digest (64 hex characters, got {hex.Length} characters); " +
                "compute one with: printf %s \"$KEY\" | sha256sum");
            return null;
        }
        return Convert.FromHexString(hex);
    }
}

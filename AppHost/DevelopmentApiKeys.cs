using System.Security.Cryptography;
using System.Text;

namespace AppHost;

/// <summary>One API key the AppHost gives the gateway, as the gateway gets it: hashed, with its tenant and role.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the key (the key itself never leaves the AppHost).</param>
/// <param name="Tenant">The tenant the key belongs to.</param>
/// <param name="Role"><c>member</c> or <c>admin</c>.</param>
public sealed record DevelopmentApiKey(string Sha256, string Tenant, string Role)
{
    /// <summary>The first 12 hex characters of the digest, as the gateway's logs name the key.</summary>
    public string Id => Sha256[..12];

    /// <summary>The key hashed, with its tenant and role.</summary>
    public static DevelopmentApiKey Of(string key, string tenant, string role = "member") =>
        new(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), tenant, role);
}

/// <summary>
/// Parses <c>PIPELINE_API_KEYS</c>: comma-separated <c>key=tenant</c> entries with an optional role suffix,
/// e.g. <c>key-a=alpha,key-b=beta,key-c=ops:admin</c>. Every malformed entry is reported at once, never the key itself.
/// </summary>
public static class DevelopmentApiKeys
{
    /// <summary>The configuration key (environment variable) the AppHost reads.</summary>
    public const string Variable = "PIPELINE_API_KEYS";

    /// <summary>
    /// The keys of <paramref name="value"/> (none when blank); throws <see cref="InvalidOperationException"/> naming every
    /// bad entry by position. <paramref name="reserved"/> is a key already given (e.g. PIPELINE_API_KEY), which may not repeat.
    /// </summary>
    public static IReadOnlyList<DevelopmentApiKey> Parse(string? value, string? reserved = null)
    {
        var keys = new List<DevelopmentApiKey>();
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(value))
        {
            return keys;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(reserved))
        {
            seen.Add(reserved.Trim());
        }
        var entries = value.Split(',');
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i].Trim();
            var at = $"entry {i + 1}";
            var equals = entry.LastIndexOf('=');
            if (equals <= 0 || equals == entry.Length - 1)
            {
                errors.Add($"{at} is not key=tenant or key=tenant:role" + (entry.Length == 0 ? " (it is empty; remove the extra comma)" : ""));
                continue;
            }
            var key = entry[..equals].Trim();
            var (tenant, role) = entry[(equals + 1)..].Split(':') switch
            {
                [var t] => (t.Trim(), "member"),
                [var t, var r] => (t.Trim(), r.Trim()),
                _ => ("", ""),
            };
            var problems = new List<string>();
            if (key.Length == 0)
            {
                problems.Add("the key is empty");
            }
            if (CheckTenant(tenant) is { } tenantProblem)
            {
                problems.Add(tenantProblem);
            }
            if (role is not ("member" or "admin"))
            {
                problems.Add(role.Length == 0 ? "it has more than one ':'" : $"role '{role}' is not member or admin");
            }
            if (key.Length > 0 && !seen.Add(key))
            {
                problems.Add("its key is given before (in PIPELINE_API_KEY or an earlier entry)");
            }
            if (problems.Count > 0)
            {
                errors.Add($"{at} (tenant '{tenant}'): {string.Join("; ", problems)}");
                continue;
            }
            keys.Add(DevelopmentApiKey.Of(key, tenant, role));
        }
        return errors.Count == 0
            ? keys
            : throw new InvalidOperationException($"{Variable} is malformed (expected e.g. key-a=alpha,key-b=beta,key-c=ops:admin):" +
                Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)));
    }

    // The gateway's rule (Pipeline.ServiceDefaults.Security.Caller.CheckTenant); the AppHost does not reference the services' libraries.
    private static string? CheckTenant(string tenant) =>
        tenant.Length is >= 1 and <= 64 && char.IsAsciiLetterOrDigit(tenant[0]) && tenant.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_')
            ? null
            : $"tenant '{tenant}' is not 1-64 of [a-z0-9_-] starting with a letter or digit";
}

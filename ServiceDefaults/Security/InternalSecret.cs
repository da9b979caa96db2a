using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Pipeline.ServiceDefaults.Security;

/// <summary>
/// The fleet's shared internal secret (<c>Pipeline:InternalSecret</c>, environment <c>Pipeline__InternalSecret</c>, set
/// by the AppHost from its secret parameter <c>internal-secret</c>): every internal call carries it in the
/// <see cref="HeaderName"/> header (gRPC metadata), and every internal service refuses a call without it.
/// Unset (a service run alone, an in-process test host): calls go out without it and services accept anyone.
/// </summary>
public sealed class InternalSecret
{
    /// <summary>The configuration key of the secret.</summary>
    public const string ConfigurationKey = "Pipeline:InternalSecret";

    /// <summary>The environment variable the AppHost sets (maps to <see cref="ConfigurationKey"/>).</summary>
    public const string EnvironmentVariable = "Pipeline__InternalSecret";

    /// <summary>The request header (gRPC metadata key) that carries the secret.</summary>
    public const string HeaderName = "x-pipeline-internal";

    private readonly byte[]? _hash;

    /// <summary>A secret of <paramref name="value"/>; null or blank means none is configured.</summary>
    public InternalSecret(string? value)
    {
        Value = string.IsNullOrWhiteSpace(value) ? null : value;
        _hash = Value is null ? null : Hash(Value);
    }

    /// <summary>The secret, or null when none is configured.</summary>
    public string? Value { get; }

    /// <summary>True when a secret is configured.</summary>
    public bool IsConfigured => Value is not null;

    /// <summary>The secret configured at <see cref="ConfigurationKey"/>.</summary>
    public static InternalSecret From(IConfiguration configuration) => new(configuration[ConfigurationKey]);

    /// <summary>
    /// True when <paramref name="presented"/> is exactly one value equal to the secret, compared in constant time
    /// (both sides hashed first, so not even the length leaks). False when no secret is configured.
    /// </summary>
    public bool Matches(StringValues presented) =>
        _hash is not null && presented.Count == 1 && presented[0] is { } value
            && CryptographicOperations.FixedTimeEquals(_hash, Hash(value));

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}

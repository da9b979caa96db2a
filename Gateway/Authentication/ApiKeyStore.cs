using System.Security.Cryptography;
using System.Text;
using Gateway.Configuration;

namespace Gateway.Authentication;

/// <summary>
/// The accepted API keys as SHA-256 digests with their tenant, role and limits. A presented key is hashed and compared
/// with every digest in constant time, so neither the comparison nor the position of a match shows in the timing.
/// </summary>
public sealed class ApiKeyStore(GatewayOptions options)
{
    private readonly ApiKey[] _keys = [.. options.Keys];
    private readonly Dictionary<string, ApiKey> _byHash = options.Keys.ToDictionary(k => k.Hash, StringComparer.Ordinal);

    /// <summary>Number of accepted keys.</summary>
    public int Count => _keys.Length;

    /// <summary>The key when it is accepted; null otherwise.</summary>
    public ApiKey? Verify(string key)
    {
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), presented);
        ApiKey? match = null;
        foreach (var candidate in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, candidate.Sha256))
            {
                match = candidate;
            }
        }
        return match;
    }

    /// <summary>The accepted key with digest <paramref name="hash"/> (lower-case hex, as the claim carries it); null when none.</summary>
    public ApiKey? Find(string hash) => _byHash.GetValueOrDefault(hash);
}

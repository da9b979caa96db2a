using System.Security.Cryptography;
using System.Text;
using Gateway.Configuration;

namespace Gateway.Authentication;

/// <summary>
/// The accepted API keys as SHA-256 digests. A presented key is hashed and compared with every digest in constant
/// time, so neither the comparison nor the position of a match shows in the timing.
/// </summary>
public sealed class ApiKeyStore(GatewayOptions options)
{
    private readonly byte[][] _hashes = [.. options.ApiKeyHashes];

    /// <summary>Number of accepted keys.</summary>
    public int Count => _hashes.Length;

    /// <summary>The key's digest (lower-case hex) when it is accepted; null otherwise.</summary>
    public string? Verify(string key)
    {
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), presented);
        byte[]? match = null;
        foreach (var hash in _hashes)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, hash))
            {
                match = hash;
            }
        }
        return match is null ? null : Convert.ToHexStringLower(match);
    }
}

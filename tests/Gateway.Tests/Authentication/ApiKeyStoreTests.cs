using System.Security.Cryptography;
using Gateway.Authentication;
using Gateway.Configuration;

namespace Gateway.Tests.Authentication;

public sealed class ApiKeyStoreTests
{
    private static readonly ApiKeyStore s_store = new(new GatewayOptions
    {
        Backends = new BackendAddresses(new Uri("http://a"), new Uri("http://b"), new Uri("http://c")),
        ApiKeyHashes = [SHA256.HashData("key-one"u8), SHA256.HashData("key-two"u8)],
    });

    [Theory]
    [InlineData("key-one")]
    [InlineData("key-two")]
    public void Verify_AcceptedKey_ReturnsItsDigest(string key)
    {
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))), s_store.Verify(key));
    }

    [Theory]
    [InlineData("key-three")]
    [InlineData("KEY-ONE")]
    [InlineData("")]
    public void Verify_OtherKey_Null(string key)
    {
        Assert.Null(s_store.Verify(key));
    }
}

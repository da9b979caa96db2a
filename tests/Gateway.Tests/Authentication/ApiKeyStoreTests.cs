using System.Security.Cryptography;
using Gateway.Authentication;
using Gateway.Configuration;
using Pipeline.ServiceDefaults.Security;

namespace Gateway.Tests.Authentication;

public sealed class ApiKeyStoreTests
{
    private static readonly ApiKeyStore s_store = new(new GatewayOptions
    {
        Backends = new BackendAddresses(new Uri("http://a"), new Uri("http://b"), new Uri("http://c")),
        Keys =
        [
            new ApiKey(SHA256.HashData("key-one"u8), Caller.Default, 120, 4),
            new ApiKey(SHA256.HashData("key-two"u8), new Caller("beta", CallerRole.Admin, FleetProviderKeys: false, MonthlyBudgetUsdMicros: 5_000_000), 10, 1),
        ],
    });

    [Theory]
    [InlineData("key-one")]
    [InlineData("key-two")]
    public void Verify_AcceptedKey_ReturnsItsDigest(string key)
    {
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))), s_store.Verify(key)?.Hash);
    }

    [Fact]
    public void Verify_TenantKey_ReturnsItsCallerAndLimits()
    {
        var key = s_store.Verify("key-two");

        Assert.Equal((new Caller("beta", CallerRole.Admin, false, 5_000_000), 10, 1), (key?.Caller, key?.RequestsPerWindow, key?.ConcurrentStreams));
        Assert.Same(key, s_store.Find(key!.Hash));
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

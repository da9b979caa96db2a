using System.Security.Cryptography;
using System.Text;

namespace AppHost.Tests;

/// <summary><c>PIPELINE_API_KEYS</c> parsing: pure, starts no fleet.</summary>
public sealed class DevelopmentApiKeysTests
{
    [Fact]
    public void Parse_KeysWithTenantsAndRoles_HashedWithTheirTenantAndRole()
    {
        var keys = DevelopmentApiKeys.Parse(" key-a=alpha, key-b=beta ,key-c=ops:admin,key=with=equals=gamma:member");

        Assert.Equal(
            [(Sha("key-a"), "alpha", "member"), (Sha("key-b"), "beta", "member"), (Sha("key-c"), "ops", "admin"), (Sha("key=with=equals"), "gamma", "member")],
            keys.Select(k => (k.Sha256, k.Tenant, k.Role)));
        Assert.Equal(Sha("key-a")[..12], keys[0].Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Parse_Blank_NoKeys(string? value)
    {
        Assert.Empty(DevelopmentApiKeys.Parse(value));
    }

    [Fact]
    public void Parse_Malformed_EveryBadEntryListedWithoutTheKeys()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DevelopmentApiKeys.Parse(
            "good=alpha,secret-1,secret-2=Alpha!,secret-3=beta:owner,,secret-4=a:b:c,=delta,dev-key=epsilon,good=zeta", reserved: "dev-key"));

        var lines = error.Message.Split(Environment.NewLine);
        Assert.StartsWith("PIPELINE_API_KEYS is malformed", lines[0]);
        Assert.Equal(8, lines.Length - 1);
        Assert.Contains("entry 2 is not key=tenant", lines[1]);
        Assert.Contains("entry 3 (tenant 'Alpha!'): tenant 'Alpha!' is not 1-64 of [a-z0-9_-]", lines[2]);
        Assert.Contains("entry 4 (tenant 'beta'): role 'owner' is not member or admin", lines[3]);
        Assert.Contains("entry 5 is not key=tenant or key=tenant:role (it is empty", lines[4]);
        Assert.Contains("entry 6 (tenant ''): ", lines[5]);
        Assert.Contains("entry 7 is not key=tenant", lines[6]);
        Assert.Contains("entry 8 (tenant 'epsilon'): its key is given before", lines[7]);
        Assert.Contains("entry 9 (tenant 'zeta'): its key is given before", lines[8]);
        Assert.DoesNotContain("secret-", error.Message);
        Assert.DoesNotContain("dev-key", error.Message);
    }

    private static string Sha(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

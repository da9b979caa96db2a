using Grpc.Core;
using Pipeline.ServiceDefaults.Security;
using Router.Service.Generation;

namespace Router.Service.Tests.Generation;

/// <summary>Reading who a call is for and which provider keys it brought.</summary>
public sealed class CallContextTests
{
    [Fact]
    public void From_NoCallerHeaders_DefaultTenantMemberWithTheFleetsKeys()
    {
        var context = CallContext.From(new Metadata());

        Assert.Equal(Caller.Default, context.Caller);
        Assert.Empty(context.ProviderKeys);
    }

    [Fact]
    public void From_ProviderKeyHeaders_KeysByProviderWhateverTheHeaderCase()
    {
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary { ["X-Provider-Key-OpenAI"] = "sk-a", ["X-Provider-Key-OpenRouter"] = "sk-or" };

        var context = CallContext.From(headers);

        Assert.Equal([("openai", "sk-a"), ("openrouter", "sk-or")], context.ProviderKeys.OrderBy(k => k.Key).Select(k => (k.Key, k.Value)));
    }

    [Theory]
    [InlineData(Caller.TenantHeader, "Alpha!", "tenant 'Alpha!' is not valid")]
    [InlineData(Caller.RoleHeader, "root", "'x-pipeline-role' is 'root'; expected member or admin")]
    [InlineData(Caller.BudgetHeader, "-5", "expected a whole number of micro-dollars")]
    public void From_MalformedCallerHeader_InvalidArgumentSayingWhy(string header, string value, string expected)
    {
        var headers = new Metadata { { Caller.TenantHeader, header == Caller.TenantHeader ? value : "alpha" } };
        if (header != Caller.TenantHeader)
        {
            headers.Add(header, value);
        }

        var ex = Assert.Throws<RouterException>(() => CallContext.From(headers));

        Assert.Equal(StatusCode.InvalidArgument, (StatusCode)ex.Status.Code);
        Assert.Contains(expected, ex.Status.Message, StringComparison.Ordinal);
    }
}

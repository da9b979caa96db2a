using Google.Rpc;
using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.ServiceDefaults.Security;
using Router.Service.Tests.TestSupport;

namespace Router.Service.Tests.Generation;

/// <summary>A tenant's monthly budget: once its runs this month cost as much, no provider is called until the month turns.</summary>
public sealed class BudgetGuardTests : IAsyncLifetime
{
    private TestFleet _fleet = null!;

    public async ValueTask InitializeAsync() => _fleet = await TestFleet.StartAsync();

    public async ValueTask DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task Generate_BudgetSpent_ResourceExhaustedWithoutAProviderCall_OtherTenantsUnaffected()
    {
        // Each scripted image costs $0.011: a budget of $0.011 allows one run.
        var alpha = new Caller("alpha", MonthlyBudgetUsdMicros: 11_000).AddTo(null);
        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1" }, headers: alpha)).EnsureOk();

        var refused = await _fleet.GenerateAsync(new GenerateRequest { Prompt = "y", Config = "gpt-image-1" }, headers: alpha);

        Assert.Equal(StatusCode.ResourceExhausted, refused.Status.StatusCode);
        Assert.Empty(refused.Frames);
        Assert.StartsWith("Tenant 'alpha' has spent $0.011 of its monthly budget of $0.011; it renews on ", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("BUDGET_EXHAUSTED", refused.Detail<ErrorInfo>()!.Reason);
        Assert.Single(_fleet.AdapterCalls);
        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "z", Config = "gpt-image-1" }, headers: new Caller("beta", MonthlyBudgetUsdMicros: 11_000).AddTo(null))).EnsureOk();
        Assert.Equal(2, _fleet.AdapterCalls.Count);
    }
}

using Pipeline.Contracts.Common.V1;

namespace Pipeline.Providers.Tests;

public sealed class ProviderUsageTests
{
    [Fact]
    public void Share_UnevenTotals_SharesAddUpWithTheRemainderFirst()
    {
        var total = new Usage { InputTokens = 10, OutputTokens = 7, TotalTokens = 17, OutputImageTokens = 5 };

        var shares = Enumerable.Range(0, 3).Select(i => ProviderUsage.Share(total, 3, i)).ToList();

        Assert.Equal([4L, 3L, 3L], shares.Select(s => s.InputTokens));
        Assert.Equal([3L, 2L, 2L], shares.Select(s => s.OutputTokens));
        Assert.Equal(17, shares.Sum(s => s.TotalTokens));
        Assert.Equal(5, shares.Sum(s => s.OutputImageTokens));
    }

    [Fact]
    public void Share_Cost_SharesAddUp() =>
        Assert.Equal(100_001, Enumerable.Range(0, 4).Sum(i => ProviderUsage.Share(100_001, 4, i)));
}

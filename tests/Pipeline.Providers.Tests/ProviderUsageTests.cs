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
    public void Share_CachedAndHostTokens_SharedAndTheHostModelKept()
    {
        var total = new Usage
        {
            InputCachedTextTokens = 5, InputCachedImageTokens = 7, HostModel = "gpt-4.1", HostInputTokens = 1001, HostCachedInputTokens = 3, HostOutputTokens = 11,
        };

        var shares = Enumerable.Range(0, 2).Select(i => ProviderUsage.Share(total, 2, i)).ToList();

        Assert.Equal([3L, 2L], shares.Select(s => s.InputCachedTextTokens));
        Assert.Equal([4L, 3L], shares.Select(s => s.InputCachedImageTokens));
        Assert.Equal([501L, 500L], shares.Select(s => s.HostInputTokens));
        Assert.Equal([2L, 1L], shares.Select(s => s.HostCachedInputTokens));
        Assert.Equal([6L, 5L], shares.Select(s => s.HostOutputTokens));
        Assert.All(shares, s => Assert.Equal("gpt-4.1", s.HostModel));
    }

    [Fact]
    public void Share_Cost_SharesAddUp() =>
        Assert.Equal(100_001, Enumerable.Range(0, 4).Sum(i => ProviderUsage.Share(100_001, 4, i)));
}

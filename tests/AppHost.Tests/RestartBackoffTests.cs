namespace AppHost.Tests;

public sealed class RestartBackoffTests
{
    [Fact]
    public void Delay_SuccessiveAttempts_DoublesFromOneSecondAndCapsAtThirty()
    {
        var schedule = Enumerable.Range(1, 8).Select(a => RestartBackoff.Delay(a).TotalSeconds).ToArray();

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], schedule);
    }

    [Fact]
    public void Delay_HugeAttempt_StaysAtCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), RestartBackoff.Delay(10_000));
    }

    [Fact]
    public void Delay_AttemptZero_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RestartBackoff.Delay(0));
    }
}

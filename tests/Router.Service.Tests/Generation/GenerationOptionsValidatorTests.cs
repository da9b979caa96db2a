using Router.Service.Generation;
using Router.Service.Spool;

namespace Router.Service.Tests.Generation;

public sealed class GenerationOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new GenerationOptionsValidator().Validate(null, new GenerationOptions()).Succeeded);
        Assert.True(new SpoolOptionsValidator().Validate(null, new SpoolOptions()).Succeeded);
    }

    [Fact]
    public void Validate_EveryFieldWrong_ReportsEveryError()
    {
        var generation = new GenerationOptionsValidator().Validate(null, new GenerationOptions { StorageService = " ", StorageCallTimeoutSeconds = 0, MaxRequestBytes = 10 });
        var spool = new SpoolOptionsValidator().Validate(null, new SpoolOptions { Directory = "", RetryInitialDelayMilliseconds = 5, RetryMaxDelayMilliseconds = 1 });

        Assert.Equal(3, generation.Failures!.Count());
        Assert.Contains(generation.Failures!, f => f.Contains("StorageCallTimeoutSeconds", StringComparison.Ordinal) && f.Contains("1-600", StringComparison.Ordinal));
        Assert.Equal(3, spool.Failures!.Count());
        Assert.Contains(spool.Failures!, f => f.Contains("Router:Spool:Directory", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_MaxDelayBelowInitialDelay_SaysHowToFixIt()
    {
        var result = new SpoolOptionsValidator().Validate(null, new SpoolOptions { RetryInitialDelayMilliseconds = 5000, RetryMaxDelayMilliseconds = 1000 });

        Assert.Contains("at least as large", Assert.Single(result.Failures!));
    }
}

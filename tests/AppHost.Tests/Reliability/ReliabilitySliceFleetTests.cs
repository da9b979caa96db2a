using AppHost.Tests.Fleet;
using Pipeline.Reliability.Faults;
using Pipeline.Reliability.Fleet;
using Pipeline.Reliability.Fuzz;

namespace AppHost.Tests.Reliability;

/// <summary>
/// The fixed slice of the reliability suite (tests/reliability) that CI runs, against the shared fleet: 1,000 generated
/// bad inputs from a fixed seed, and the fault matrix's fast (provider) faults with the image ledger. The full suite is
/// <c>bash tests/reliability/run</c>.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class ReliabilitySliceFleetTests(FleetFixture fleet)
{
    /// <summary>The slice's seed: a failing case names its own seed, derived from this one and its index.</summary>
    private const int Seed = 20261202;

    [Fact]
    public async Task GeneratedBadInput_FixedSliceOf1000Cases_NoCrashNo5xxAndEveryErrorInItsEnvelope()
    {
        using var log = new StringWriter();

        // Four keys of its own share the gateway's default per-key rate limit: the slice runs at the fleet's pace, and the
        // other tests' keys keep their permits.
        var plan = new FuzzPlan(Seed, Cases: 1_000) { ExtraKeys = FleetFixture.ReliabilityKeys[1..4] };

        var result = await FuzzSuite.RunAsync(Under(FleetFixture.ReliabilityKeys[0]), plan, log, TestContext.Current.CancellationToken);

        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Failures) + Environment.NewLine + log);
    }

    [Fact]
    public async Task FaultMatrix_FastProviderFaults_EveryDeliveredImageIsStoredSpooledOrQuarantinedAndTheCallerToldTheTruth()
    {
        using var log = new StringWriter();

        var result = await FaultMatrix.RunAsync(Under(FleetFixture.ReliabilityKeys[4]), new FaultPlan(FastOnly: true), log, TestContext.Current.CancellationToken);

        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Failures) + Environment.NewLine + log);
    }

    private FleetUnderTest Under(string key) => new(fleet.App, key, fleet.DataDirectory);
}

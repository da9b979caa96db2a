using System.Globalization;
using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Reliability.Fleet;

namespace Pipeline.Reliability.Faults;

/// <summary>
/// Injects each fault of <see cref="FaultCases"/> around generations through the gateway, then checks the emulator's
/// ledger against storage, the spool and the quarantine: no call outlives its deadline, no delivered image is lost, and
/// the caller was told the truth (OK with a Final for every delivered image, each stored, spooled or quarantined; or an
/// expected error, with no image kept that it was not told about).
/// </summary>
public static class FaultMatrix
{
    /// <summary>Runs the faults of <paramref name="plan"/> one after another on <paramref name="fleet"/>, which ends healthy.</summary>
    public static async Task<FaultMatrixResult> RunAsync(FleetUnderTest fleet, FaultPlan plan, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(log);
        using var probe = new GenerationProbe(fleet);
        using var emulator = new EmulatorControl(fleet.Emulator);
        var context = new FaultContext(probe, emulator, new FleetProcesses(fleet), new ImageAccounting(fleet, emulator, probe), log);
        var rows = new List<FaultRow>();
        var failures = new List<string>();
        foreach (var fault in FaultCases.All.Where(c => c.Fast || !plan.FastOnly))
        {
            log.WriteLine($"fault: {fault.Name}...");
            FaultRow row;
            List<string> found;
            try
            {
                (row, found) = await RunOneAsync(fleet, context, fault, cancellationToken);
            }
            catch (TimeoutException ex)
            {
                // The fleet did not come back: the faults after this one would measure the wreckage, not the fault.
                failures.Add($"{fault.Name}: {ex.Message}; the remaining faults were not run");
                log.WriteLine($"  FAILED {failures[^1]}");
                break;
            }
            rows.Add(row);
            failures.AddRange(found);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {row.Status} in {row.Seconds:0.0} s (deadline respected: {row.DeadlineRespected}); delivered {row.Delivered}, stored {row.Stored}, spooled {row.Spooled}, quarantined {row.Quarantined}, lost {row.Lost}"));
            foreach (var failure in found)
            {
                log.WriteLine($"  FAILED {failure}");
            }
        }
        return new FaultMatrixResult(rows, failures);
    }

    private static async Task<(FaultRow Row, List<string> Failures)> RunOneAsync(FleetUnderTest fleet, FaultContext context, FaultCase fault, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        IReadOnlyList<CallOutcome> outcomes = [];
        try
        {
            outcomes = await fault.InjectAsync(context, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            failures.Add($"{fault.Name}: the fault could not be injected or the fleet did not recover: {ex.GetType().Name}: {ex.Message}");
        }
        await context.Emulator.DisarmAsync(cancellationToken);
        await fleet.WaitHealthyAsync(TimeSpan.FromMinutes(2), cancellationToken);

        var total = ImageAccount.None;
        foreach (var call in outcomes)
        {
            var account = call.RunId.Length > 0 ? await context.Accounting.CountAsync([call.RunId], cancellationToken) : ImageAccount.None;
            total += account;
            failures.AddRange(Check(fault, call, account));
        }
        var statuses = outcomes.GroupBy(o => o.Status).Select(g => g.Count() == 1 ? StatusNames.Of(g.Key) : $"{StatusNames.Of(g.Key)}×{g.Count()}");
        var row = new FaultRow(fault.Name, fault.Fast, outcomes.Count == 0 ? "not run" : string.Join(", ", statuses),
            outcomes.Count == 0 ? 0 : Math.Round(outcomes.Max(o => o.Seconds), 2), outcomes.All(o => o.DeadlineRespected), outcomes.Count,
            total.Delivered, total.Stored, total.Spooled, total.Quarantined, total.Lost);
        return (row, failures);
    }

    /// <summary>The expectations of one call under <paramref name="fault"/>, each violated one as a failure line.</summary>
    private static IEnumerable<string> Check(FaultCase fault, CallOutcome call, ImageAccount account)
    {
        var run = call.RunId.Length > 0 ? call.RunId : "(no run id: refused before Accepted)";
        var what = string.Create(CultureInfo.InvariantCulture,
            $"{fault.Name}: run {run} got {StatusNames.Of(call.Status)} in {call.Seconds:0.0} s (deadline {call.Deadline.TotalSeconds:0} s; {call.Detail}); " +
            $"delivered {account.Delivered}, stored {account.Stored}, spooled {account.Spooled}, quarantined {account.Quarantined}, lost {account.Lost}, finals {call.Finals.Count}");
        if (!call.DeadlineRespected)
        {
            yield return $"{what}: the call outlived its deadline";
        }
        if (account.Lost > 0)
        {
            yield return $"{what}: {account.Lost} delivered image(s) lost ({string.Join(", ", account.LostImages)})";
        }
        if (!fault.Allows(call))
        {
            yield return $"{what}: expected {fault.ExpectedText(call)}";
        }
        if (call.Status == StatusCode.OK && (call.Finals.Count != account.Delivered || call.Finals.Count == 0))
        {
            yield return $"{what}: OK must mean one Final per delivered image";
        }
        if (call.Status == StatusCode.OK && call.Finals.Any(f => f is not (FinishReason.Stored or FinishReason.StoragePending or FinishReason.Quarantined)))
        {
            yield return $"{what}: a Final said {string.Join(", ", call.Finals)}";
        }
        if (call.Status != StatusCode.OK && account.Kept > call.Finals.Count)
        {
            yield return $"{what}: the caller was told it failed, but {account.Kept - call.Finals.Count} image(s) it was not told about were kept (and paid for)";
        }
    }
}

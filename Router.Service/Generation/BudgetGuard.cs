using System.Globalization;
using Google.Rpc;
using Grpc.Core;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Grpc;
using Pipeline.ServiceDefaults.Security;
using Router.Service.Storage;

namespace Router.Service.Generation;

/// <summary>
/// Holds a tenant to its monthly budget (<see cref="Caller.MonthlyBudgetUsdMicros"/>): before a provider is called, what
/// the tenant's runs cost since the start of the calendar month (UTC) is asked of storage; once it reaches the budget,
/// the run is refused with RESOURCE_EXHAUSTED (reason <c>BUDGET_EXHAUSTED</c>). A run that starts under the budget may
/// end over it. Tenants without a budget cost nothing to check. When storage cannot say, the run is refused
/// (UNAVAILABLE) rather than spending blind.
/// </summary>
internal sealed class BudgetGuard(RunStore store, TimeProvider time)
{
    public const string Reason = "BUDGET_EXHAUSTED";

    public async Task EnsureWithinAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (caller.MonthlyBudgetUsdMicros is not { } budget)
        {
            return;
        }
        var now = time.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        GetSpendResponse spend;
        try
        {
            spend = await store.GetSpendAsync(caller, monthStart, cancellationToken);
        }
        catch (RpcException ex) when (StorageFailures.IsTransient(ex) && ex.StatusCode != StatusCode.Cancelled)
        {
            throw RouterException.StorageUnavailable($"tenant '{caller.Tenant}' has a monthly budget, and what it spent cannot be read", ex);
        }
        if (spend.CostUsdMicros < budget)
        {
            return;
        }
        var renews = monthStart.AddMonths(1);
        var message = string.Format(CultureInfo.InvariantCulture,
            "Tenant '{0}' has spent {1} of its monthly budget of {2}; it renews on {3:yyyy-MM-dd} (UTC).",
            caller.Tenant, Usd(spend.CostUsdMicros), Usd(budget), renews);
        throw new RouterException(RichStatus.Create(StatusCode.ResourceExhausted, message, new ErrorInfo
        {
            Reason = Reason,
            Domain = "pipeline",
            Metadata = { ["tenant"] = caller.Tenant, ["renews_at"] = renews.ToString("O", CultureInfo.InvariantCulture) },
        }));
    }

    private static string Usd(long micros) => (micros / 1_000_000m).ToString("$0.00####", CultureInfo.InvariantCulture);
}

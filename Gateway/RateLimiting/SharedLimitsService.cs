using Npgsql;

namespace Gateway.RateLimiting;

/// <summary>
/// Creates the shared limits' tables before the gateway serves (retrying while the database starts) and renews this
/// gateway's generation leases every <see cref="PostgresLimitStore.RenewEvery"/> until it stops.
/// </summary>
internal sealed class SharedLimitsService(PostgresLimitStore store, ILogger<SharedLimitsService> logger) : BackgroundService
{
    private static readonly TimeSpan s_startupPatience = TimeSpan.FromSeconds(60);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + s_startupPatience;
        while (true)
        {
            try
            {
                await store.InitializeAsync(cancellationToken);
                break;
            }
            catch (NpgsqlException ex) when (DateTime.UtcNow < deadline && ex.IsTransient)
            {
                GatewayLog.SharedLimitsUnavailable(logger, "start", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PostgresLimitStore.RenewEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await store.RenewAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                GatewayLog.SharedLimitsUnavailable(logger, "lease renewal", ex.Message);
            }
        }
    }
}

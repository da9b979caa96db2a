namespace Pipeline.Tests.Servers;

/// <summary>
/// One <see cref="PostgresServer"/> per test assembly: started by the first test that asks for it, stopped when the
/// assembly's tests end. Register it with <c>[assembly: AssemblyFixture(typeof(SharedPostgresServer))]</c>; tests then
/// call <see cref="GetAsync"/> (a start failure fails every test that asks, with its cause).
/// </summary>
public sealed class SharedPostgresServer : IAsyncDisposable
{
    private static readonly Lazy<Task<PostgresServer>> Server = new(() => PostgresServer.StartAsync(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The running server.</summary>
    public static Task<PostgresServer> GetAsync() => Server.Value;

    public async ValueTask DisposeAsync()
    {
        if (Server.IsValueCreated && Server.Value.IsCompletedSuccessfully)
        {
            await Server.Value.Result.DisposeAsync();
        }
    }
}

namespace Pipeline.Tests.Servers;

/// <summary>A throw-away server of the test kit that starts itself (see <see cref="SharedServer{TServer}"/>).</summary>
public interface IStartableServer<TSelf> : IAsyncDisposable where TSelf : IStartableServer<TSelf>
{
    /// <summary>Starts a server; returns once it answers.</summary>
    static abstract Task<TSelf> StartAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// One <typeparamref name="TServer"/> per test assembly: started by the first test that asks for it, stopped when the
/// assembly's tests end. Register it with <c>[assembly: AssemblyFixture(typeof(SharedServer&lt;PostgresServer&gt;))]</c>;
/// tests then call <see cref="GetAsync"/> (a start failure fails every test that asks, with its cause) and take a
/// database or bucket of their own.
/// </summary>
public sealed class SharedServer<TServer> : IAsyncDisposable where TServer : IStartableServer<TServer>
{
    private static readonly Lazy<Task<TServer>> Server = new(() => TServer.StartAsync(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The running server.</summary>
    public static Task<TServer> GetAsync() => Server.Value;

    public async ValueTask DisposeAsync()
    {
        if (Server.IsValueCreated && Server.Value.IsCompletedSuccessfully)
        {
            await Server.Value.Result.DisposeAsync();
        }
    }
}

namespace Pipeline.Tests.Servers;

/// <summary>
/// One <see cref="S3Server"/> per test assembly: started by the first test that asks for it, stopped when the assembly's
/// tests end. Register it with <c>[assembly: AssemblyFixture(typeof(SharedS3Server))]</c>; tests then call
/// <see cref="GetAsync"/> (a start failure fails every test that asks, with its cause) and take a bucket of their own.
/// </summary>
public sealed class SharedS3Server : IAsyncDisposable
{
    private static readonly Lazy<Task<S3Server>> Server = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The running server.</summary>
    public static Task<S3Server> GetAsync() => Server.Value;

    public async ValueTask DisposeAsync()
    {
        if (Server.IsValueCreated && Server.Value.IsCompletedSuccessfully)
        {
            await Server.Value.Result.DisposeAsync();
        }
    }

    private static async Task<S3Server> StartAsync()
    {
        var server = new S3Server();
        await server.InitializeAsync();
        return server;
    }
}

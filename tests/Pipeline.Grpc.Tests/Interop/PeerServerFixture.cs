namespace Pipeline.Grpc.Tests.Interop;

/// <summary>A peer's interop server, started once per test class and stopped after it.</summary>
public abstract class PeerServerFixture(InteropPeer peer) : IAsyncLifetime
{
    private PeerProcess? _process;

    public InteropPeer Peer => peer;

    public Uri Address => new($"http://127.0.0.1:{_process!.Port}");

    public async ValueTask InitializeAsync() => _process = await PeerProcess.StartServerAsync(peer);

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}

public sealed class PythonServerFixture() : PeerServerFixture(InteropPeer.Python);

public sealed class NodeServerFixture() : PeerServerFixture(InteropPeer.Node);

using Pipeline.Grpc.Tests.Infrastructure;

namespace Pipeline.Grpc.Tests.Interop;

/// <summary>Two in-process servers for peer clients: one with limits raised for images, one with the 4 MiB defaults.</summary>
public sealed class OurServersFixture : IAsyncLifetime
{
    public const int RaisedLimit = 32 * 1024 * 1024;

    public GrpcTestServer Raised { get; private set; } = null!;

    public GrpcTestServer Default { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Raised = await GrpcTestServer.StartAsync(o =>
        {
            o.MaxReceiveMessageSize = RaisedLimit;
            o.MaxSendMessageSize = RaisedLimit;
        });
        Default = await GrpcTestServer.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Raised.DisposeAsync();
        await Default.DisposeAsync();
    }
}

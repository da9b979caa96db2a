using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Grpc.Health;
using Pipeline.Grpc.Tests.Infrastructure;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Pipeline.Grpc.Tests.Health;

public sealed class GrpcHealthServiceTests : IAsyncLifetime
{
    private static CancellationToken TestToken => TestContext.Current.CancellationToken;

    private GrpcTestServer _server = null!;
    private GrpcChannel _channel = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await GrpcTestServer.StartAsync();
        _channel = GrpcChannel.ForAddress(_server.Address);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    private static CallOptions Timeout() => CallOptions.WithTimeout(TimeSpan.FromSeconds(10), TestToken);

    [Theory]
    [InlineData("")]
    [InlineData("interop.v1.Interop")]
    [InlineData("grpc.health.v1.Health")]
    public async Task Check_WholeServerOrMappedService_Serving(string service)
    {
        var response = await _channel.UnaryAsync(GrpcHealthService.CheckMethod, new HealthCheckRequest { Service = service }, Timeout()).DefaultTimeout();

        Assert.Equal(ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Check_UnknownService_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _channel.UnaryAsync(GrpcHealthService.CheckMethod, new HealthCheckRequest { Service = "nope.v1.Nope" }, Timeout())).DefaultTimeout();

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Check_StatusOverridden_ReportsOverride()
    {
        _server.Services.GetRequiredService<GrpcHealthService>().SetStatus("interop.v1.Interop", ServingStatus.NotServing);

        var response = await _channel.UnaryAsync(GrpcHealthService.CheckMethod, new HealthCheckRequest { Service = "interop.v1.Interop" }, Timeout()).DefaultTimeout();

        Assert.Equal(ServingStatus.NotServing, response.Status);
    }

    [Fact]
    public async Task Watch_StatusChanges_SendsCurrentThenEachChange()
    {
        var health = _server.Services.GetRequiredService<GrpcHealthService>();
        health.WatchInterval = TimeSpan.FromMilliseconds(50);
        using var call = _channel.ServerStreaming(GrpcHealthService.WatchMethod, new HealthCheckRequest { Service = "interop.v1.Interop" }, Timeout());
        await using var updates = call.ReadAllAsync(TestToken).GetAsyncEnumerator(TestToken);

        Assert.True(await updates.MoveNextAsync().DefaultTimeout());
        Assert.Equal(ServingStatus.Serving, updates.Current.Status);
        health.SetStatus("interop.v1.Interop", ServingStatus.NotServing);
        Assert.True(await updates.MoveNextAsync().DefaultTimeout());
        Assert.Equal(ServingStatus.NotServing, updates.Current.Status);
    }

    [Fact]
    public async Task Watch_UnknownService_ServiceUnknownAndStreamStaysOpen()
    {
        using var call = _channel.ServerStreaming(GrpcHealthService.WatchMethod, new HealthCheckRequest { Service = "nope.v1.Nope" }, Timeout());
        await using var updates = call.ReadAllAsync(TestToken).GetAsyncEnumerator(TestToken);

        Assert.True(await updates.MoveNextAsync().DefaultTimeout());
        Assert.Equal(ServingStatus.ServiceUnknown, updates.Current.Status);
        var next = updates.MoveNextAsync().AsTask();
        Assert.NotSame(next, await Task.WhenAny(next, Task.Delay(300, TestToken)).DefaultTimeout());
        call.Dispose();
        await Assert.ThrowsAsync<RpcException>(() => next).DefaultTimeout();
    }
}

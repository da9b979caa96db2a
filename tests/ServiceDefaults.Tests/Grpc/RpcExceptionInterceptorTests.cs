using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.ServiceDefaults.Grpc;

namespace ServiceDefaults.Tests.Grpc;

/// <summary>The one exception-to-status place, seen from a real grpc-dotnet client over h2c.</summary>
public sealed class RpcExceptionInterceptorTests
{
    [Fact]
    public async Task Call_ServiceThrowsItsOwnException_ClientGetsTheMappedCodeWithBadRequestDetails()
    {
        var ex = await CallAsync(new OrderException("quantity", "quantity is -1; allowed: 1-10"));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("quantity is -1; allowed: 1-10", ex.Status.Detail);
        var violation = Assert.Single(ex.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("quantity", violation.Field);
    }

    [Fact]
    public async Task Call_ServiceThrowsRpcException_StatusAndDetailsPassUnchanged()
    {
        var thrown = RichStatus.Create(StatusCode.ResourceExhausted, "slow down",
            new RetryInfo { RetryDelay = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(7)) }).ToRpcException();

        var ex = await CallAsync(thrown);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.GetRpcStatus()!.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());
    }

    [Fact]
    public async Task Call_UnexpectedException_UnknownWithoutItsMessage()
    {
        var ex = await CallAsync(new InvalidOperationException("secret internal detail /srv/app/Order.cs"));

        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.DoesNotContain("secret", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Null(ex.GetRpcStatus());
    }

    [Fact]
    public void ToRichStatus_CallWithoutDetails_BuildsOneFromThePlainStatus()
    {
        var rich = new RpcException(new global::Grpc.Core.Status(StatusCode.NotFound, "no such run")).ToRichStatus();

        Assert.Equal(StatusCode.NotFound, rich.GetStatusCode());
        Assert.Equal("no such run", rich.Message);
        Assert.Empty(rich.Details);
    }

    private static async Task<RpcException> CallAsync(Exception toThrow)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await GrpcTestHost.StartAsync(
            builder =>
            {
                builder.Services.AddSingleton(new ThrowingHealth(toThrow));
                builder.Services.AddRpcExceptionMapper(e => e is OrderException order
                    ? RichStatus.Create(StatusCode.InvalidArgument, order.Message,
                        new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = order.Field, Description = order.Message } } })
                    : null);
            },
            app => app.MapGrpcService<ThrowingHealth>(),
            ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        using var channel = GrpcChannel.ForAddress(host.Address);
        var client = new Health.HealthClient(channel);
        return await Assert.ThrowsAsync<RpcException>(() =>
            client.CheckAsync(new HealthCheckRequest { Service = "orders" }, cancellationToken: ct).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30), ct));
    }

    private sealed class OrderException(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }

    /// <summary>A gRPC service whose only method throws what the test gives it.</summary>
    private sealed class ThrowingHealth(Exception toThrow) : Health.HealthBase
    {
        public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) => throw toThrow;
    }
}

using System.Net;
using Gateway.Tests.TestSupport;
using Grpc.Core;
using Grpc.Net.Client;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.Tests.RateLimiting;

/// <summary>
/// Per-key limits counted in PostgreSQL (<c>Gateway:RateLimits:Store</c> = Postgres) hold across two gateways in front
/// of one router: the window and the cap on running generations are the key's, whichever gateway a call reaches.
/// </summary>
public sealed class SharedRateLimitTests : IAsyncLifetime
{
    private string? _database;

    public async ValueTask InitializeAsync()
    {
        var server = await SharedServer<PostgresServer>.GetAsync().WaitAsync(TimeSpan.FromMinutes(2));
        _database = await server.CreateDatabaseAsync("limits").DefaultTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        var server = await SharedServer<PostgresServer>.GetAsync();
        await server.DropDatabaseAsync(_database!).DefaultTimeout();
    }

    [Fact]
    public async Task RequestWindow_CallsAlternateBetweenTwoGateways_TheKeysWindowCountsThemAll()
    {
        await using var env = await StartAsync(new() { ["Gateway:RateLimits:RequestsPerWindow"] = "3" });
        var replica = await env.StartReplicaAsync();
        using var first = env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
        using var second = replica.CreateClient(GatewayEnvironment.ApiKey);

        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { first, second, first, second, first })
        {
            using var response = await client.GetAsync("/v1/models").DefaultTimeout();
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        using var refused = await second.GetAsync("/v1/models").DefaultTimeout();
        var error = await OpenAIErrorAssert.EnvelopeAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.InRange(int.Parse(refused.Headers.GetValues("retry-after").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
    }

    [Fact]
    public async Task RequestWindow_OtherKeyOnTheOtherGateway_HasItsOwnWindow()
    {
        await using var env = await StartAsync(new() { ["Gateway:RateLimits:RequestsPerWindow"] = "1" });
        var replica = await env.StartReplicaAsync();
        using var busy = env.Gateway.CreateClient(GatewayEnvironment.ApiKey);
        using var other = replica.CreateClient(GatewayEnvironment.HashedApiKey);

        using var allowed = await busy.GetAsync("/v1/models").DefaultTimeout();
        using var refused = await busy.GetAsync("/v1/models").DefaultTimeout();
        using var otherKey = await other.GetAsync("/v1/models").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Fact]
    public async Task ConcurrentGenerations_OneRunningOnEachGateway_SecondRefusedUntilTheFirstEnds()
    {
        await using var env = await StartAsync(new() { ["Gateway:RateLimits:ConcurrentStreams"] = "1" });
        var replica = await env.StartReplicaAsync();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        env.Router.Script.HoldBeforeFinal = hold;

        using var firstChannel = GrpcChannel.ForAddress(env.Gateway.GrpcAddress);
        using var running = new ImageGeneration.ImageGenerationClient(firstChannel).Generate(new GenerateRequest { Prompt = "a fox", Config = "gpt-image-1" },
            headers: Bearer, deadline: DateTime.UtcNow + TestTimeouts.Default);
        Assert.True(await running.ResponseStream.MoveNext(TestTimeouts.Token()).DefaultTimeout());
        using var secondChannel = GrpcChannel.ForAddress(replica.GrpcAddress);
        var refused = await Assert.ThrowsAsync<RpcException>(() => GenerateAsync(secondChannel)).DefaultTimeout();
        hold.SetResult();
        while (await running.ResponseStream.MoveNext(TestTimeouts.Token()).DefaultTimeout())
        {
        }
        env.Router.Script.HoldBeforeFinal = null;
        // The first gateway gives its lease back when its call ends; the database sees it a moment later.
        var afterwards = await RetryWhileRefusedAsync(() => GenerateAsync(secondChannel));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal(StatusCode.OK, running.GetStatus().StatusCode);
        Assert.Equal(GenerateFrame.FrameOneofCase.Final, afterwards.FrameCase);
    }

    private static Metadata Bearer => new() { { "authorization", "Bearer " + GatewayEnvironment.ApiKey } };

    private static async Task<GenerateFrame> GenerateAsync(GrpcChannel channel)
    {
        using var call = new ImageGeneration.ImageGenerationClient(channel).Generate(new GenerateRequest { Prompt = "a hare", Config = "gpt-image-1" },
            headers: Bearer, deadline: DateTime.UtcNow + TestTimeouts.Default);
        GenerateFrame? last = null;
        await foreach (var frame in call.ResponseStream.ReadAllAsync(TestTimeouts.Token()))
        {
            last = frame;
        }
        return last ?? throw new InvalidOperationException("no frame");
    }

    private static async Task<GenerateFrame> RetryWhileRefusedAsync(Func<Task<GenerateFrame>> call)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            try
            {
                return await call().DefaultTimeout();
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private async Task<GatewayEnvironment> StartAsync(Dictionary<string, string?> limits)
    {
        var server = await SharedServer<PostgresServer>.GetAsync();
        limits["Gateway:RateLimits:Store"] = "Postgres";
        limits["Gateway:RateLimits:Window"] = "01:00:00";
        limits["ConnectionStrings:pipeline-db"] = server.ConnectionString(_database!);
        return await GatewayEnvironment.StartAsync(limits);
    }
}

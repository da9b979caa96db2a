using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.ServiceDefaults.Security;
using Router.Service.Tests.TestSupport;

namespace Router.Service.Tests.Generation;

/// <summary>
/// A caller-chosen run id is claimed in storage: the same request replays, a different one is refused naming what
/// differs, another tenant's id is refused without a word of that run, and the claim holds across router replicas.
/// </summary>
public sealed class RunClaimsTests : IAsyncLifetime
{
    private static readonly Metadata Alpha = new Caller("alpha").AddTo(null);
    private static readonly Metadata Beta = new Caller("beta").AddTo(null);

    private TestFleet _fleet = null!;

    public async ValueTask InitializeAsync() => _fleet = await TestFleet.StartAsync();

    public async ValueTask DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task Generate_SameRunIdAndSameRequest_ReplaysWithoutAProviderCall()
    {
        var request = new GenerateRequest { Prompt = "a kite", Config = "gpt-image-1", RunId = "same", Parameters = new() { Quality = "low" } };
        var first = (await _fleet.GenerateAsync(request, headers: Alpha)).EnsureOk();

        var again = (await _fleet.GenerateAsync(request.Clone(), headers: Alpha)).EnsureOk();

        Assert.True(again.Accepted.Replayed);
        Assert.Single(_fleet.AdapterCalls);
        Assert.Equal(first.Finals.Single().ImageId, again.Finals.Single().ImageId);
    }

    [Theory]
    [InlineData("prompt")]
    [InlineData("config")]
    [InlineData("parameters")]
    public async Task Generate_SameRunIdWithADifferentRequest_AlreadyExistsNamingWhatDiffers(string part)
    {
        var request = new GenerateRequest { Prompt = "a kite", Config = "gpt-image-1", RunId = $"reused-{part}" };
        var first = (await _fleet.GenerateAsync(request, headers: Alpha)).EnsureOk();
        var changed = request.Clone();
        switch (part)
        {
            case "prompt": changed.Prompt = "a boat"; break;
            case "config": changed.Config = "gpt-image-1.5"; break;
            default: changed.Parameters = new() { N = 2 }; break;
        }

        var result = await _fleet.GenerateAsync(changed, headers: Alpha);

        Assert.Equal(StatusCode.AlreadyExists, result.Status.StatusCode);
        Assert.Empty(result.Frames);
        Assert.Contains($"({part} differ)", result.Status.Detail, StringComparison.Ordinal);
        var info = result.Detail<ErrorInfo>()!;
        Assert.Equal(("RUN_ID_REUSED", part), (info.Reason, info.Metadata["differences"]));
        Assert.Single(_fleet.AdapterCalls);
        var run = await _fleet.Client.GetRunAsync(new GetRunRequest { RunId = request.RunId }, Alpha).ResponseAsync.DefaultTimeout();
        Assert.Equal(("a kite", first.Finals.Single().ImageId), (run.Prompt, run.Images.Single().ImageId));   // the stored run is untouched
    }

    [Fact]
    public async Task Generate_SameRunIdWithOtherInputImages_AlreadyExistsNamingInputImages()
    {
        var request = new GenerateRequest { Prompt = "add a hat", Config = "gpt-image-1_edit", RunId = "reused-images" };
        request.InputImages.Add(new InputImage { Data = ByteString.CopyFrom(TestImages.Png(seed: 1)) });
        (await _fleet.GenerateAsync(request, headers: Alpha)).EnsureOk();
        var changed = request.Clone();
        changed.InputImages[0] = new InputImage { Data = ByteString.CopyFrom(TestImages.Png(seed: 2)) };

        var result = await _fleet.GenerateAsync(changed, headers: Alpha);

        Assert.Equal(StatusCode.AlreadyExists, result.Status.StatusCode);
        Assert.Equal("input_images", result.Detail<ErrorInfo>()!.Metadata["differences"]);
    }

    [Fact]
    public async Task Generate_AnotherTenantsRunId_AlreadyExistsWithNothingOfThatRun()
    {
        var request = new GenerateRequest { Prompt = "alpha's secret lighthouse", Config = "gpt-image-1", RunId = "shared-id" };
        (await _fleet.GenerateAsync(request, headers: Alpha)).EnsureOk();

        var result = await _fleet.GenerateAsync(request.Clone(), headers: Beta);

        Assert.Equal(StatusCode.AlreadyExists, result.Status.StatusCode);
        Assert.Empty(result.Frames);
        Assert.Equal("run id 'shared-id' is not available; choose another run id", result.Status.Detail);
        Assert.Single(_fleet.AdapterCalls);
        var lookup = await Assert.ThrowsAsync<RpcException>(() => _fleet.Client.GetRunAsync(new GetRunRequest { RunId = "shared-id" }, Beta).ResponseAsync.DefaultTimeout());
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task Generate_SameRunIdOnTwoRouters_OneProviderCallAndTheSecondReplays()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.After(release.Task, AdapterScripts.Images()));
        await using var second = await RouterHost.StartAsync(_fleet.OpenAI.Address, _fleet.Storage.GrpcAddress,
            new Dictionary<string, string?> { ["services:openrouter:grpc:0"] = _fleet.OpenRouter.Address.ToString() });
        var request = new GenerateRequest { Prompt = "a kite", Config = "gpt-image-1", RunId = "two-routers" };

        var first = _fleet.GenerateAsync(request);
        await _fleet.OpenAI.WaitForCallAsync().DefaultTimeout();
        using var call = second.Client.Generate(request.Clone(), cancellationToken: TestContext.Current.CancellationToken);
        var other = GenerateResult.ReadAsync(call);
        await TestTimeouts.WaitUntilAsync(() => second.Logs.Any(e => e.EventId.Id == 106 && e.Message.Contains("two-routers", StringComparison.Ordinal)));   // waiting for the claim
        release.SetResult();
        var results = await Task.WhenAll(first, other).DefaultTimeout();

        Assert.All(results, r => r.EnsureOk());
        Assert.Single(_fleet.AdapterCalls);
        Assert.Equal([false, true], results.Select(r => r.Accepted.Replayed));
        Assert.Single(results.Select(r => r.Finals.Single().Storage.Sha256).Distinct());
    }
}

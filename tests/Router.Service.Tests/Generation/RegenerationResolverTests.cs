using System.Net;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.ServiceDefaults.Security;
using Router.Service.Tests.TestSupport;

namespace Router.Service.Tests.Generation;

/// <summary>Regenerate: a new run from an earlier one, with its config, prompt and parameters, overrides on top, linked to its parent.</summary>
public sealed class RegenerationResolverTests : IAsyncLifetime
{
    private static readonly Metadata Alpha = new Caller("alpha").AddTo(null);

    private TestFleet _fleet = null!;

    public async ValueTask InitializeAsync() => _fleet = await TestFleet.StartAsync();

    public async ValueTask DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task Regenerate_WithOverridesAndANewPrompt_NewRunLinkedToItsParentWithTheParentsOtherParameters()
    {
        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "a kite", Config = "gpt-image-1", RunId = "parent", Parameters = new() { Quality = "low", Size = "1024x1536" } }, headers: Alpha)).EnsureOk();

        using var call = _fleet.Client.Regenerate(new RegenerateRequest { RunId = "parent", Prompt = "a red kite", Parameters = new() { Size = "1536x1024" }, NewRunId = "child" },
            Alpha, cancellationToken: TestContext.Current.CancellationToken);
        var result = (await GenerateResult.ReadAsync(call).DefaultTimeout()).EnsureOk();

        Assert.Equal(("child", "parent", "gpt-image-1"), (result.Accepted.RunId, result.Accepted.ParentRunId, result.Accepted.Config));
        var request = _fleet.OpenAI.Calls[^1].Request;
        Assert.Equal(("a red kite", "1536x1024", "low"), (request.Prompt, request.Size, request.Quality));
        var child = await _fleet.Client.GetRunAsync(new GetRunRequest { RunId = "child" }, Alpha).ResponseAsync.DefaultTimeout();
        Assert.Equal(("parent", "a red kite"), (child.ParentRunId, child.Prompt));
    }

    [Fact]
    public async Task Regenerate_AnotherTenantsRun_NotFoundAsForAnUnknownOne()
    {
        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "a kite", Config = "gpt-image-1", RunId = "alphas" }, headers: Alpha)).EnsureOk();

        using var call = _fleet.Client.Regenerate(new RegenerateRequest { RunId = "alphas" }, new Caller("beta").AddTo(null), cancellationToken: TestContext.Current.CancellationToken);
        var result = await GenerateResult.ReadAsync(call).DefaultTimeout();

        Assert.Equal((StatusCode.NotFound, "run 'alphas' does not exist"), (result.Status.StatusCode, result.Status.Detail));
        Assert.Single(_fleet.AdapterCalls);
    }

    [Fact]
    public async Task Regenerate_ARunThatEditedInputImages_FailedPreconditionSayingWhy()
    {
        var edit = new GenerateRequest { Prompt = "add a hat", Config = "gpt-image-1_edit", RunId = "edited" };
        edit.InputImages.Add(new InputImage { Data = ByteString.CopyFrom(TestImages.Png(seed: 1)) });
        (await _fleet.GenerateAsync(edit, headers: Alpha)).EnsureOk();

        using var call = _fleet.Client.Regenerate(new RegenerateRequest { RunId = "edited" }, Alpha, cancellationToken: TestContext.Current.CancellationToken);
        var result = await GenerateResult.ReadAsync(call).DefaultTimeout();

        Assert.Equal(StatusCode.FailedPrecondition, result.Status.StatusCode);
        Assert.Contains("input images, which are not kept", result.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpRegenerate_StreamsTheNewRunWithItsParentInTheAcceptedEvent()
    {
        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "a kite", Config = "gpt-image-1", RunId = "http-parent" }, headers: Alpha)).EnsureOk();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs/http-parent/regenerate")
        {
            Content = new StringContent("""{"parameters":{"quality":"high"}}""", Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in new Caller("alpha").ToHeaders())
        {
            request.Headers.Add(name, value);
        }

        using var response = await _fleet.Router.Http.SendAsync(request, TestContext.Current.CancellationToken).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("event: accepted", body, StringComparison.Ordinal);
        Assert.Contains("\"parentRunId\": \"http-parent\"", body, StringComparison.Ordinal);
        Assert.Contains("event: final", body, StringComparison.Ordinal);
        Assert.Equal("high", _fleet.OpenAI.Calls[^1].Request.Quality);
    }
}

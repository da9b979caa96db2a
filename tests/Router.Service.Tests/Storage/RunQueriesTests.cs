using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.ServiceDefaults.Security;
using Router.Service.Tests.TestSupport;

namespace Router.Service.Tests.Storage;

/// <summary>Runs belong to tenants: through the router, another tenant's run or image is answered as an unknown one; admins see all.</summary>
public sealed class RunQueriesTests : IAsyncLifetime
{
    private static readonly Caller Alpha = new("alpha");
    private static readonly Caller Beta = new("beta");

    private TestFleet _fleet = null!;

    public async ValueTask InitializeAsync() => _fleet = await TestFleet.StartAsync();

    public async ValueTask DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task GetRun_AnotherTenantsRun_NotFoundWithTheSameMessageAsAnUnknownRun()
    {
        var result = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "alpha only", Config = "gpt-image-1" }, headers: Alpha.AddTo(null))).EnsureOk();
        var runId = result.Accepted.RunId;

        var other = await Assert.ThrowsAsync<RpcException>(() => _fleet.Client.GetRunAsync(new GetRunRequest { RunId = runId }, Beta.AddTo(null)).ResponseAsync.DefaultTimeout());
        var unknown = await Assert.ThrowsAsync<RpcException>(() => _fleet.Client.GetRunAsync(new GetRunRequest { RunId = "never-made" }, Beta.AddTo(null)).ResponseAsync.DefaultTimeout());

        Assert.Equal((StatusCode.NotFound, StatusCode.NotFound), (other.StatusCode, unknown.StatusCode));
        Assert.Equal(unknown.Status.Detail.Replace("never-made", runId, StringComparison.Ordinal), other.Status.Detail);
        var own = await _fleet.Client.GetRunAsync(new GetRunRequest { RunId = runId }, Alpha.AddTo(null)).ResponseAsync.DefaultTimeout();
        Assert.Equal(("alpha", "alpha only"), (own.Tenant, own.Prompt));
        var admin = await _fleet.Client.GetRunAsync(new GetRunRequest { RunId = runId }, new Caller("ops", CallerRole.Admin).AddTo(null)).ResponseAsync.DefaultTimeout();
        Assert.Equal("alpha", admin.Tenant);
    }

    [Fact]
    public async Task HttpRuns_ListAndGet_ShowOnlyTheCallersTenant()
    {
        var alphaRun = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "alpha", Config = "gpt-image-1" }, headers: Alpha.AddTo(null))).EnsureOk().Accepted.RunId;
        var betaRun = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "beta", Config = "gpt-image-1" }, headers: Beta.AddTo(null))).EnsureOk().Accepted.RunId;
        await TestTimeouts.WaitUntilAsync(async () => (await ListAsync(new Caller("ops", CallerRole.Admin))).Count == 2);

        Assert.Equal([betaRun], await ListAsync(Beta));
        Assert.Equal([alphaRun], await ListAsync(Alpha));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/runs/{alphaRun}");
        Add(request, Beta);
        using var response = await _fleet.Router.Http.SendAsync(request, TestContext.Current.CancellationToken).DefaultTimeout();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("alpha", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_InputImageIdOfAnotherTenant_InvalidArgumentAsForAnUnknownImage()
    {
        var alpha = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "alpha", Config = "gpt-image-1" }, headers: Alpha.AddTo(null))).EnsureOk();
        var imageId = alpha.Finals.Single().ImageId;
        var request = new GenerateRequest { Prompt = "steal", Config = "gpt-image-1_edit" };
        request.InputImages.Add(new InputImage { ImageId = imageId });

        var result = await _fleet.GenerateAsync(request, headers: Beta.AddTo(null));

        Assert.Equal(StatusCode.InvalidArgument, result.Status.StatusCode);
        Assert.Contains($"input_images[0].image_id '{imageId}' is not a stored image", result.Status.Detail, StringComparison.Ordinal);
        Assert.Single(_fleet.AdapterCalls);
    }

    [Fact]
    public async Task ListRuns_PagesOfTheCallersRuns_NewestFirstEachOnceWithImagesAndStatusFilter()
    {
        for (var i = 0; i < 5; i++)
        {
            (await _fleet.GenerateAsync(new GenerateRequest { Prompt = $"alpha {i}", Config = "gpt-image-1", RunId = $"page-{i}" }, headers: Alpha.AddTo(null))).EnsureOk();
        }
        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "beta", Config = "gpt-image-1" }, headers: Beta.AddTo(null))).EnsureOk();
        await TestTimeouts.WaitUntilAsync(async () => (await _fleet.Client.ListRunsAsync(new ListRunsRequest { PageSize = 100, Status = RunStatus.Succeeded }, Alpha.AddTo(null)).ResponseAsync).Runs.Count == 5);

        var first = await _fleet.Client.ListRunsAsync(new ListRunsRequest { PageSize = 2 }, Alpha.AddTo(null)).ResponseAsync.DefaultTimeout();
        var second = await _fleet.Client.ListRunsAsync(new ListRunsRequest { PageSize = 2, PageToken = first.NextPageToken }, Alpha.AddTo(null)).ResponseAsync.DefaultTimeout();
        var third = await _fleet.Client.ListRunsAsync(new ListRunsRequest { PageSize = 2, PageToken = second.NextPageToken }, Alpha.AddTo(null)).ResponseAsync.DefaultTimeout();
        var failed = await _fleet.Client.ListRunsAsync(new ListRunsRequest { Status = RunStatus.Failed }, Alpha.AddTo(null)).ResponseAsync.DefaultTimeout();

        Assert.Equal(["page-4", "page-3", "page-2", "page-1", "page-0"], first.Runs.Concat(second.Runs).Concat(third.Runs).Select(r => r.RunId));
        Assert.Empty(third.NextPageToken);
        Assert.All(first.Runs, r => Assert.Single(r.Images));
        Assert.Empty(failed.Runs);
        var tooBig = await Assert.ThrowsAsync<RpcException>(() => _fleet.Client.ListRunsAsync(new ListRunsRequest { PageSize = 101 }, Alpha.AddTo(null)).ResponseAsync.DefaultTimeout());
        Assert.Equal(StatusCode.InvalidArgument, tooBig.StatusCode);
    }

    private async Task<IReadOnlyList<string>> ListAsync(Caller caller)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs?limit=50");
        Add(request, caller);
        using var response = await _fleet.Router.Http.SendAsync(request, TestContext.Current.CancellationToken).DefaultTimeout();
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return [.. json.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()!)];
    }

    private static void Add(HttpRequestMessage request, Caller caller)
    {
        foreach (var (name, value) in caller.ToHeaders())
        {
            request.Headers.Add(name, value);
        }
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AppHost.Tests.Fleet;
using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;

namespace AppHost.Tests;

/// <summary>
/// The seed's other backends through the running fleet: providers added to the catalogue as JSON files alone while the
/// fleet runs (a Stability-style API and a Replicate-style one, both spoken by the emulator), and the eco mode on
/// ComfyUI (the emulator's), with previews as partial frames and a cancel that reaches ComfyUI as /interrupt.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class ExecutedChunkFleetTests(FleetFixture fleet)
{
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "catalogue-examples");

    [Fact]
    public async Task DeclarativeProviders_AddedAsJsonFilesWhileTheFleetRuns_GenerateAndStoreThroughTheGateway()
    {
        var ct = TestContext.Current.CancellationToken;
        using var emulator = EmulatorTraffic.Client(fleet);
        using var gateway = fleet.CreateGatewayClient(FleetFixture.AlphaKey);
        var before = await EmulatorTraffic.RequestIdsAsync(emulator, ct);

        AddExampleProviders(fleet.CatalogueDirectory);
        await WaitForModelsAsync(gateway, ["stability-core", "flux-schnell"], ct);

        foreach (var (mode, provider, path) in new[]
        {
            ("fast_stability", "stability", "/api.stability.ai/v2beta/stable-image/generate/core"),
            ("fast_replicate", "replicate", "/api.replicate.com/v1/models/black-forest-labs/flux-schnell/predictions"),
        })
        {
            var (frames, status) = await GrpcClients.GenerateAsync(FleetFixture.GatewayGrpc, FleetFixture.AlphaKey,
                new GenerateRequest { Prompt = $"a lighthouse, by {provider}", Mode = mode }, ct).DefaultTimeout();

            Assert.True(status.StatusCode == StatusCode.OK, $"{mode}: {status}");
            Assert.Equal(provider, frames[0].Accepted.Provider);
            var final = Assert.Single(frames, f => f.FrameCase == GenerateFrame.FrameOneofCase.Final).Final;
            var stored = await gateway.GetByteArrayAsync(final.Storage.UrlPath, ct).DefaultTimeout();
            Assert.Equal(final.Storage.Sha256, Convert.ToHexStringLower(SHA256.HashData(stored)));
            var run = (await GrpcClients.GetRunAsync(FleetFixture.GatewayGrpc, FleetFixture.AlphaKey, frames[0].Accepted.RunId, ct).DefaultTimeout()).Run!;
            Assert.Equal((RunStatus.Succeeded, provider), (run.Status, run.Provider));
            // The emulator imitated the provider's own API at its own path: the JSON described a real call.
            await EmulatorTraffic.WaitForAsync(emulator, e => !before.Contains(e.GetProperty("requestId").GetString()) && e.GetProperty("path").GetString() == path, ct);
        }
        // The Replicate-style call was asynchronous: the adapter polled the prediction (and stored the image its URL delivered).
        var later = (await EmulatorTraffic.ReadAsync(emulator, ct)).Where(e => !before.Contains(e.GetProperty("requestId").GetString())).Select(e => e.GetProperty("path").GetString()!).ToList();
        Assert.Contains(later, p => p.StartsWith("/api.replicate.com/v1/predictions/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EcoMode_StreamsComfyUIPreviewsAsPartialsThenAStoredLocalFreeImage()
    {
        var ct = TestContext.Current.CancellationToken;

        var (frames, status) = await GrpcClients.GenerateAsync(FleetFixture.GatewayGrpc, FleetFixture.AlphaKey,
            new GenerateRequest { Prompt = "a fox in the snow", Mode = "eco", Parameters = new() { Extra = { ["steps"] = Google.Protobuf.WellKnownTypes.Value.ForNumber(8) } } }, ct).DefaultTimeout();

        Assert.True(status.StatusCode == StatusCode.OK, status.ToString());
        Assert.Equal(("sd35_large", "comfyui"), (frames[0].Accepted.Config, frames[0].Accepted.Provider));
        var partials = frames.Where(f => f.FrameCase == GenerateFrame.FrameOneofCase.Partial).Select(f => f.Partial).ToList();
        Assert.NotEmpty(partials);
        Assert.All(partials, p => Assert.StartsWith("image/", p.MimeType, StringComparison.Ordinal));
        var final = Assert.Single(frames, f => f.FrameCase == GenerateFrame.FrameOneofCase.Final).Final;
        Assert.Equal(GenerateFrame.FrameOneofCase.Final, frames[^1].FrameCase);   // every preview came before the image
        Assert.Equal((1024, 1024, 0L, true), (final.Width, final.Height, final.CostUsdMicros, final.CostKnown));
        var run = (await GrpcClients.GetRunAsync(FleetFixture.GatewayGrpc, FleetFixture.AlphaKey, frames[0].Accepted.RunId, ct).DefaultTimeout()).Run!;
        Assert.True(run.Local);
        Assert.Equal(8, run.Parameters.Fields["steps"].NumberValue);
        Assert.Equal("euler", run.Parameters.Fields["sampler"].StringValue);
        Assert.Equal(Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NumberValue, run.Parameters.Fields["seed"].KindCase);   // drawn by the adapter, recorded
    }

    [Fact]
    public async Task EcoMode_CancelledAfterTheFirstPreview_ReachesComfyUIAsInterrupt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var emulator = EmulatorTraffic.Client(fleet);
        var before = await EmulatorTraffic.RequestIdsAsync(emulator, ct);

        var (frames, status) = await GrpcClients.GenerateAndCancelAsync(FleetFixture.GatewayGrpc, FleetFixture.AlphaKey,
            new GenerateRequest { Prompt = "a slow fox", Config = "sd35_large_highquality" },
            cancelAfter: f => f.FrameCase == GenerateFrame.FrameOneofCase.Partial, ct).DefaultTimeout();

        Assert.Equal(StatusCode.Cancelled, status.StatusCode);
        Assert.DoesNotContain(frames, f => f.FrameCase == GenerateFrame.FrameOneofCase.Final);
        await EmulatorTraffic.WaitForAsync(emulator,
            e => !before.Contains(e.GetProperty("requestId").GetString()) && e.GetProperty("path").GetString() == "/comfyui/interrupt", ct);
    }

    /// <summary>What a user adding the example providers does: copy the chunk and config files and add the defaults entries.</summary>
    private static void AddExampleProviders(string catalogue)
    {
        foreach (var kind in new[] { "chunks", "configs" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Examples, kind), "*.json"))
            {
                File.Copy(file, Path.Combine(catalogue, kind, Path.GetFileName(file)), overwrite: true);
            }
        }
        var defaultsPath = Path.Combine(catalogue, "defaults.json");
        var defaults = JsonNode.Parse(File.ReadAllText(defaultsPath))!;
        foreach (var (mode, config) in JsonNode.Parse(File.ReadAllText(Path.Combine(Examples, "defaults.json")))!["image"]!.AsObject())
        {
            defaults["image"]![mode] = config!.DeepClone();
        }
        File.WriteAllText(defaultsPath, defaults.ToJsonString());
    }

    /// <summary>Polls the gateway's <c>/v1/models</c> until it lists every one of <paramref name="names"/> (the router reloads its catalogue).</summary>
    private static async Task WaitForModelsAsync(HttpClient gateway, string[] names, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            using var models = JsonDocument.Parse(await gateway.GetStringAsync("/v1/models", ct).DefaultTimeout());
            var listed = models.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToHashSet();
            if (names.All(listed.Contains))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"/v1/models did not list {string.Join(", ", names)} within {TestTimeouts.Default.TotalSeconds}s");
            await Task.Delay(200, ct);
        }
    }
}

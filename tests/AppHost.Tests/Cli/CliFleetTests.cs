using System.Buffers.Binary;
using System.Security.Cryptography;
using AppHost.Tests.Fleet;
using Aspire.Hosting.Testing;
using Pipeline.Cli;

namespace AppHost.Tests.Cli;

/// <summary>
/// The <c>pipeline</c> CLI against the running fleet, run in-process as a user runs it: generate with partials saved to
/// disk, edit with two images, the runs listing, regenerate, the catalogue, a refusal, Ctrl+C, and get.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class CliFleetTests(FleetFixture fleet) : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly string _out = Directory.CreateTempSubdirectory("pipeline-cli-").FullName;

    private Dictionary<string, string> Environment(string key = FleetFixture.AlphaKey) => new()
    {
        ["PIPELINE_API_KEY"] = key,
        ["PIPELINE_URL"] = FleetFixture.GatewayGrpc.ToString(),
        ["PIPELINE_HTTP_URL"] = fleet.App.GetEndpoint("gateway", "http").ToString(),
    };

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public async Task Generate_TwoPartials_SavesEachPartialAndTheStoredFinal()
    {
        var ct = TestContext.Current.CancellationToken;
        var runId = $"cli-gen-{Guid.NewGuid():N}";

        var result = await CliRunner.RunAsync(Environment(),
            ["generate", "a red fox in the snow", "--config", "gpt-image-1", "--size", "1024x1024", "--quality", "low", "--partials", "2", "--out", _out, "--run-id", runId], ct).DefaultTimeout();

        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        Assert.Contains("image 0: partial 1 of 2", result.Out);
        Assert.Contains("image 0: partial 2 of 2", result.Out);
        Assert.Contains($"run {runId}", result.Out);
        var partials = new[] { 1, 2 }.Select(k => Path.Combine(_out, $"{runId}-0-partial-{k}.png")).ToList();
        var final = Path.Combine(_out, $"{runId}-0.png");
        Assert.Equal([.. partials, final], Directory.GetFiles(_out).Order(StringComparer.Ordinal));
        foreach (var file in partials.Append(final))
        {
            Assert.Contains(file, result.Out);
            Assert.Equal(PngSignature, (await File.ReadAllBytesAsync(file, ct))[..8]);
        }
        var finalBytes = await File.ReadAllBytesAsync(final, ct);
        Assert.Equal((1024, 1024), PngSize(finalBytes));

        // The saved final is what storage keeps: the stored bytes through the gateway, and through pipeline get.
        var run = (await CliRunner.RunAsync(Environment(), ["run", runId, "--json"], ct).DefaultTimeout()).Json();
        var image = Assert.Single(run.GetProperty("images").EnumerateArray());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(finalBytes)), image.GetProperty("sha256").GetString());
        using var gateway = fleet.CreateGatewayClient(FleetFixture.AlphaKey);
        Assert.Equal(finalBytes, await gateway.GetByteArrayAsync(image.GetProperty("urlPath").GetString(), ct).DefaultTimeout());
        var fetched = Path.Combine(_out, "fetched.png");
        var get = await CliRunner.RunAsync(Environment(), ["get", image.GetProperty("imageId").GetString()!, "-o", fetched], ct).DefaultTimeout();
        Assert.True(get.ExitCode == ExitCodes.Success, get.Error);
        Assert.Equal(finalBytes, await File.ReadAllBytesAsync(fetched, ct));
    }

    [Fact]
    public async Task Edit_TwoInputImages_StoresTheEditedImage()
    {
        var ct = TestContext.Current.CancellationToken;
        // Two input images made by the fleet itself, through the CLI.
        var made = (await CliRunner.RunAsync(Environment(),
            ["generate", "two pebbles", "--config", "gpt-image-1", "--size", "1024x1024", "--quality", "low", "--n", "2", "--out", _out, "--json"], ct).DefaultTimeout()).Json();
        var inputs = made.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("file").GetString()!).ToList();
        Assert.Equal(2, inputs.Count);
        var edits = Path.Combine(_out, "edits");

        var edited = (await CliRunner.RunAsync(Environment(),
            ["edit", "put the pebbles on a beach", "--image", inputs[0], "--image", inputs[1], "--config", "gpt-image-1_edit", "--quality", "low", "--out", edits, "--json"], ct).DefaultTimeout()).Json();

        Assert.Equal("gpt-image-1_edit", edited.GetProperty("config").GetString());
        var image = Assert.Single(edited.GetProperty("images").EnumerateArray());
        Assert.Equal("stored", image.GetProperty("finishReason").GetString());
        var file = image.GetProperty("file").GetString()!;
        Assert.Equal(Path.Combine(edits, $"{edited.GetProperty("runId").GetString()}-0.png"), file);
        Assert.Equal(PngSignature, (await File.ReadAllBytesAsync(file, ct))[..8]);
        var run = (await CliRunner.RunAsync(Environment(), ["run", edited.GetProperty("runId").GetString()!, "--json"], ct).DefaultTimeout()).Json();
        Assert.Equal("edit", run.GetProperty("operation").GetString());
    }

    [Fact]
    public async Task Runs_AfterTwoGenerations_ListsBothNewestFirst()
    {
        var ct = TestContext.Current.CancellationToken;
        var ids = new List<string>();
        foreach (var prompt in new[] { "a lighthouse", "a harbour" })
        {
            var made = (await CliRunner.RunAsync(Environment(FleetFixture.BetaKey),
                ["generate", prompt, "--config", "gpt-image-1", "--quality", "low", "--out", _out, "--json"], ct).DefaultTimeout()).Json();
            ids.Add(made.GetProperty("runId").GetString()!);
        }

        var listed = (await CliRunner.RunAsync(Environment(FleetFixture.BetaKey), ["runs", "--limit", "2", "--config", "gpt-image-1", "--status", "succeeded", "--json"], ct).DefaultTimeout()).Json();

        var runs = listed.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal([ids[1], ids[0]], runs.Select(r => r.GetProperty("runId").GetString()));
        Assert.Equal(["a harbour", "a lighthouse"], runs.Select(r => r.GetProperty("prompt").GetString()));
        Assert.All(runs, r => Assert.Single(r.GetProperty("images").EnumerateArray()));
        var table = await CliRunner.RunAsync(Environment(FleetFixture.BetaKey), ["runs", "--limit", "2"], ct).DefaultTimeout();
        Assert.True(table.ExitCode == ExitCodes.Success, table.Error);
        Assert.Contains(ids[0], table.Out);
        Assert.Contains(ids[1], table.Out);
    }

    [Fact]
    public async Task Regenerate_WithANewSize_MakesARunWhoseParentIsTheFirst()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = (await CliRunner.RunAsync(Environment(),
            ["generate", "a paper boat", "--config", "gpt-image-1", "--size", "1024x1024", "--quality", "low", "--out", _out, "--json"], ct).DefaultTimeout()).Json();
        var parentId = first.GetProperty("runId").GetString()!;

        var again = (await CliRunner.RunAsync(Environment(),
            ["regenerate", parentId, "--size", "1024x1536", "--prompt", "a paper boat at night", "--out", _out, "--json"], ct).DefaultTimeout()).Json();

        Assert.Equal(parentId, again.GetProperty("parentRunId").GetString());
        var newId = again.GetProperty("runId").GetString()!;
        Assert.NotEqual(parentId, newId);
        Assert.Equal(1536, again.GetProperty("images")[0].GetProperty("height").GetInt32());
        var run = (await CliRunner.RunAsync(Environment(), ["run", newId, "--json"], ct).DefaultTimeout()).Json();
        Assert.Equal(parentId, run.GetProperty("parentRunId").GetString());
        Assert.Equal("a paper boat at night", run.GetProperty("prompt").GetString());
        Assert.Equal("1024x1536", run.GetProperty("parameters").GetProperty("size").GetString());
    }

    [Fact]
    public async Task Configs_JsonAndGermanTable_ListTheCatalogue()
    {
        var ct = TestContext.Current.CancellationToken;

        var configs = (await CliRunner.RunAsync(Environment(), ["configs", "--json"], ct).DefaultTimeout()).Json();
        var table = await CliRunner.RunAsync(Environment(), ["configs", "--lang", "de"], ct).DefaultTimeout();

        var names = configs.GetProperty("configs").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains("gpt-image-1", names);
        Assert.Contains("gpt-image-1_edit", names);
        Assert.True(table.ExitCode == ExitCodes.Success, table.Error);
        Assert.Contains("GPT Image 1 (Bearbeiten)", table.Out);
        Assert.Contains("openai/gpt-image-1", table.Out);
    }

    [Fact]
    public async Task Generate_BadSize_ExitsThreeWithTheServersMessage()
    {
        var result = await CliRunner.RunAsync(Environment(),
            ["generate", "a fox", "--config", "gpt-image-1", "--size", "7x7", "--out", _out], TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Contains("refused (INVALID_ARGUMENT)", result.Error);
        Assert.Contains("size", result.Error);
        Assert.Contains("7x7", result.Error);
        Assert.Empty(Directory.GetFiles(_out));
    }

    [Fact]
    public async Task Run_UnknownId_ExitsThreeNotFound()
    {
        var result = await CliRunner.RunAsync(Environment(), ["run", $"cli-none-{Guid.NewGuid():N}"], TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Contains("refused (NOT_FOUND)", result.Error);
    }

    [Fact]
    public async Task Generate_CancelledAfterTheFirstPartial_Exits130WithoutAFinal()
    {
        var ct = TestContext.Current.CancellationToken;
        var runId = $"cli-cancel-{Guid.NewGuid():N}";
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var output = new SignallingWriter("partial 1 of 3");

        // The emulator sends partials 1 s apart (FleetFixture), so the call is still in flight after the first.
        var running = CliRunner.RunAsync(Environment(),
            ["generate", "a slow fox", "--config", "gpt-image-1", "--quality", "low", "--partials", "3", "--out", _out, "--run-id", runId], output, cancel.Token);
        await output.Seen.DefaultTimeout();
        await cancel.CancelAsync();
        var result = await running.DefaultTimeout();

        Assert.Equal(ExitCodes.Cancelled, result.ExitCode);
        Assert.Contains("cancelled", result.Error);
        Assert.Contains(Path.Combine(_out, $"{runId}-0-partial-1.png"), Directory.GetFiles(_out));
        Assert.DoesNotContain(Path.Combine(_out, $"{runId}-0.png"), Directory.GetFiles(_out));
    }

    /// <summary>Width and height from a PNG's IHDR chunk.</summary>
    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}

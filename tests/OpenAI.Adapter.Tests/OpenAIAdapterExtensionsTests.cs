using Google.Rpc;
using OpenAI.Adapter.Tests.TestSupport;
using Pipeline.Contracts.Provider.V1;
using Grpc.Core;
using Pipeline.Providers;
using ProviderEmulator.Hosting;

namespace OpenAI.Adapter.Tests;

/// <summary>The adapter as registered by AddOpenAIAdapter: where the key comes from, bring-your-own-key, base URL and models.</summary>
public sealed class OpenAIAdapterExtensionsTests
{
    private const string ByokKey = "sk-test-byok-abcdefghijklmnop";

    [Fact]
    public async Task Generate_ProviderKeyHeader_IsTheKeyTheEmulatorReceives()
    {
        // The emulator accepts only the caller's key: the configured key would get 401.
        await using var host = await AdapterHost.StartAsync(emulatorKeys: [ByokKey]);
        var byok = new Metadata { { ProviderAdapter.ProviderKeyHeader, ByokKey } };

        var withHeader = await host.Client.CollectAsync(Calls.Generate(), Calls.Timeout(byok));
        var withoutHeader = await host.Client.CollectAsync(Calls.Generate());

        Assert.Single(withHeader.Succeeded().Finals);
        Assert.Equal(StatusCode.Unauthenticated, withoutHeader.Failure.StatusCode);
    }

    [Theory]
    [InlineData("responses")]
    [InlineData("edit-stream")]
    public async Task Generate_ProviderKeyHeader_UsedByEveryOperation(string operation)
    {
        await using var host = await AdapterHost.StartAsync(emulatorKeys: [ByokKey]);
        var byok = new Metadata { { ProviderAdapter.ProviderKeyHeader, ByokKey } };

        var result = await host.Client.CollectAsync(Operations.Request(operation), Calls.Timeout(byok));

        Assert.Single(result.Succeeded().Finals);
    }

    [Fact]
    public async Task Generate_KeyFromOpenAIApiKeyVariable_IsSent()
    {
        const string key = "sk-test-from-environment-0001";
        await using var host = await AdapterHost.StartAsync(
            settings: new Dictionary<string, string?> { ["OpenAI:ApiKey"] = "", ["OPENAI_API_KEY"] = key }, emulatorKeys: [key]);

        Assert.Single((await host.Client.CollectAsync(Calls.Generate())).Succeeded().Finals);
    }

    [Fact]
    public async Task Generate_KeyFromApiKeyFile_IsSentTrimmed()
    {
        const string key = "sk-test-from-file-0002";
        var file = Path.Combine(Path.GetTempPath(), $"openai-key-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, key + "\n", TestContext.Current.CancellationToken);
        try
        {
            await using var host = await AdapterHost.StartAsync(
                settings: new Dictionary<string, string?> { ["OpenAI:ApiKey"] = "", ["OpenAI:ApiKeyFile"] = file }, emulatorKeys: [key]);

            Assert.Single((await host.Client.CollectAsync(Calls.Generate())).Succeeded().Finals);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Generate_NoKeyAnywhere_UnauthenticatedNamingWhatToSetWithoutCallingTheProvider()
    {
        await using var host = await AdapterHost.StartAsync(settings: new Dictionary<string, string?> { ["OpenAI:ApiKey"] = "" });

        var failure = (await host.Client.CollectAsync(Calls.Generate())).Failure;

        Assert.Equal(StatusCode.Unauthenticated, failure.StatusCode);
        Assert.Contains("OPENAI_API_KEY", failure.Status.Detail);
        Assert.Contains(ProviderAdapter.ProviderKeyHeader, failure.Status.Detail);
        Assert.DoesNotContain(host.Emulator.Traffic.Events, e => e.Kind == EmulatorEventKind.RequestStarted);
    }

    [Fact]
    public async Task AddOpenAIAdapter_NoBaseUrl_DefaultsToTheRealApi()
    {
        await using var host = await AdapterHost.StartAsync(settings: new Dictionary<string, string?> { ["OpenAI:BaseUrl"] = null });

        Assert.Equal(new Uri("https://api.openai.com/v1"), host.Services.GetRequiredService<ProviderOptions>().BaseUrl);
    }

    [Fact]
    public async Task ListModels_ServesTheConfiguredModelsAndPrices()
    {
        await using var host = await AdapterHost.StartAsync();

        var models = await host.Client.ListModelsAsync(new ListModelsRequest(), Calls.Timeout()).ResponseAsync.DefaultTimeout();

        Assert.Equal("openai", models.Provider);
        Assert.Equal(["gpt-image-1", "gpt-image-1.5", "gpt-image-1-mini", "gpt-image-2", "dall-e-3"], models.Models.Select(m => m.Id));
        var gptImage1 = models.Models[0];
        Assert.Equal([Operation.Generate, Operation.Edit, Operation.Responses], gptImage1.Operations);
        Assert.True(gptImage1.SupportsPartialImages);
        Assert.Equal(10, gptImage1.MaxN);
        Assert.Contains(gptImage1.Prices, p => p is { Size: "1024x1024", Quality: "low", UsdMicrosPerImage: 11_000 });
        var dallE3 = models.Models.Single(m => m.Id == "dall-e-3");
        Assert.Equal(1, dallE3.MaxN);
        Assert.False(dallE3.SupportsPartialImages);
        Assert.Equal([Operation.Generate], dallE3.Operations);
    }

    [Fact]
    public async Task Generate_NAboveTheModelsMax_InvalidArgumentWithoutCallingTheProvider()
    {
        await using var host = await AdapterHost.StartAsync();

        var failure = (await host.Client.CollectAsync(Calls.Generate("dall-e-3", "1024x1024", "standard", n: 2))).Failure;

        Assert.Equal(StatusCode.InvalidArgument, failure.StatusCode);
        Assert.Equal("n", Assert.Single(failure.RichDetail<BadRequest>()!.FieldViolations).Field);
        Assert.DoesNotContain(host.Emulator.Traffic.Events, e => e.Kind == EmulatorEventKind.RequestStarted);
    }
}

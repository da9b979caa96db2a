using Pipeline.Contracts.ImageGen.V1;
using Router.Service.Tests.TestSupport;

namespace Router.Service.Tests.Api;

/// <summary>The shipped style presets: listed with their display data and rules, and their template shapes the prompt the provider gets.</summary>
public sealed class StylePresetTests : IAsyncLifetime
{
    private TestFleet _fleet = null!;

    public async ValueTask InitializeAsync() => _fleet = await TestFleet.StartAsync();

    public async ValueTask DisposeAsync() => await _fleet.DisposeAsync();

    [Theory]
    [InlineData("gpt-image-1_watercolour", "A loose watercolour painting of a fox in the snow, soft washes")]
    [InlineData("gpt-image-1_photographic", "A photograph of a fox in the snow, shot on a 50mm lens")]
    [InlineData("gpt-image-1_comic", "A comic book panel of a fox in the snow, bold black ink outlines")]
    public async Task Generate_StylePreset_TheProviderGetsThePromptInsideTheTemplateWhileTheRunKeepsTheUsersPrompt(string config, string expectedStart)
    {
        var result = (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "a fox in the snow", Config = config })).EnsureOk();

        Assert.StartsWith(expectedStart, Assert.Single(_fleet.AdapterCalls).Request.Prompt, StringComparison.Ordinal);
        var run = await _fleet.Client.GetRunAsync(new GetRunRequest { RunId = result.Accepted.RunId }).ResponseAsync.DefaultTimeout();
        Assert.Equal("a fox in the snow", run.Prompt);
    }

    [Fact]
    public async Task ListConfigs_StylePresets_CarryDisplayAudienceAndRulesLocalised()
    {
        var configs = await _fleet.Client.ListConfigsAsync(new ListConfigsRequest { Language = "de" }).ResponseAsync.DefaultTimeout();

        var presets = configs.Configs.Where(c => c.Tags.Contains("style")).OrderBy(c => c.Display.Order).ToList();
        Assert.Equal(["gpt-image-1_watercolour", "gpt-image-1_photographic", "gpt-image-1_comic"], presets.Select(c => c.Name));
        Assert.Equal("GPT Image 1 · Aquarell", presets[0].DisplayName);
        Assert.All(presets, c =>
        {
            Assert.NotEmpty(c.Display.Icon);
            Assert.Matches("^#[0-9A-F]{6}$", c.Display.Color);
            Assert.True(c.AudienceDetails.WorkshopSuitable);
            Assert.Contains("1024x1024", c.Rules.Sizes);
            Assert.Equal((1, 10, 3), (c.Rules.MinN, c.Rules.MaxN, c.Rules.MaxPartialImages));
            Assert.Equal((0, 0, false), (c.Rules.MinInputImages, c.Rules.MaxInputImages, c.Rules.Mask));
        });
        var edit = configs.Configs.Single(c => c.Name == "gpt-image-1_edit");
        Assert.Equal((1, 16, true), (edit.Rules.MinInputImages, edit.Rules.MaxInputImages, edit.Rules.Mask));
        Assert.Equal(["high", "low"], edit.Rules.Extras["input_fidelity"].Values.Order(StringComparer.Ordinal));
        var grid = configs.Configs.Single(c => c.Name == "gpt-image-1_avatar_grid");
        Assert.Equal((2, 2), (grid.GridRows, grid.GridColumns));
    }
}

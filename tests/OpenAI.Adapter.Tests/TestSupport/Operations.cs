using Pipeline.Contracts.Provider.V1;
using SkiaSharp;

namespace OpenAI.Adapter.Tests.TestSupport;

/// <summary>One request per way the adapter calls OpenAI, by name, for theories over fault modes.</summary>
internal static class Operations
{
    /// <summary>generate | stream (generate with partials) | edit | edit-stream | responses | dall-e-3.</summary>
    public static ProviderRequest Request(string operation) => operation switch
    {
        "generate" => Calls.Generate(),
        "stream" => Calls.Generate(partials: 2),
        "edit" => Calls.Edit(0, TestImages.SolidPng(256, 256, new SKColor(90, 90, 90))),
        "edit-stream" => Calls.Edit(2, TestImages.SolidPng(256, 256, new SKColor(90, 90, 90))),
        "responses" => Calls.Responses(partials: 2),
        "dall-e-3" => Calls.Generate("dall-e-3", "1024x1024", "standard"),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation"),
    };

    /// <summary>The emulator path each operation calls.</summary>
    public static string Path(string operation) => operation switch
    {
        "edit" or "edit-stream" => "/v1/images/edits",
        "responses" => "/v1/responses",
        _ => "/v1/images/generations",
    };
}

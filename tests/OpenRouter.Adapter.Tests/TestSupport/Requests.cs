using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Provider.V1;

namespace OpenRouter.Adapter.Tests.TestSupport;

/// <summary>Provider requests the tests use (call options: <see cref="AdapterTestHost.Deadline"/>, <see cref="AdapterTestHost.WithKey"/>).</summary>
internal static class Requests
{
    public const string Gemini = "google/gemini-2.5-flash-image";

    public static ProviderRequest Chat(string prompt = "a lighthouse at dusk", string model = Gemini, string size = "", int n = 0, int partialImages = 0) => new()
    {
        Operation = Operation.Chat,
        Model = model,
        Prompt = prompt,
        Size = size,
        N = n,
        PartialImages = partialImages,
        RunId = "run-test",
    };

    /// <summary>A small, fast image (image_size 0.5K: 512×512 for 1:1).</summary>
    public static ProviderRequest Small(string prompt = "a lighthouse at dusk", int partialImages = 0, int n = 0)
    {
        var request = Chat(prompt, partialImages: partialImages, n: n);
        request.Extra = new Struct { Fields = { ["image_size"] = Value.ForString("0.5K") } };
        return request;
    }
}

using Grpc.Core;
using Pipeline.Contracts.Provider.V1;
using ProviderEmulator.Hosting;

namespace OpenAI.Adapter.Tests.TestSupport;

/// <summary>Proves partial frames are relayed as the provider emits them, from the emulator's traffic log (not timing).</summary>
internal static class StreamingProbe
{
    /// <summary>
    /// Run against an emulator with <c>partial-delay</c>: the provider pauses before every partial and before the final, so
    /// its response stays open for several delays after the first partial. Reads the first frame, asserts it is a partial and
    /// that the emulator has not finished its response yet, then reads the rest and asserts the emulator finished.
    /// Returns every frame.
    /// </summary>
    public static async Task<IReadOnlyList<ProviderFrame>> AssertFirstPartialWhileProviderOpenAsync(AdapterHost host, ProviderRequest request, string path)
    {
        var frames = new List<ProviderFrame>();
        using var call = host.Client.Generate(request, Calls.Timeout());
        await using var reader = call.ResponseStream.ReadAllAsync().GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync().DefaultTimeout(), "the stream ended before any frame");
        frames.Add(reader.Current);
        Assert.NotNull(reader.Current.Partial);
        var seen = host.Emulator.Traffic.Events.Where(e => e.Path == path).ToList();
        Assert.Contains(seen, e => e.Kind == EmulatorEventKind.RequestStarted);
        Assert.DoesNotContain(seen, e => e.Kind != EmulatorEventKind.RequestStarted);

        while (await reader.MoveNextAsync().DefaultTimeout())
        {
            frames.Add(reader.Current);
        }
        await host.Emulator.Traffic.WaitForAsync(e => e.Kind == EmulatorEventKind.RequestCompleted && e.Path == path).DefaultTimeout();
        return frames;
    }
}

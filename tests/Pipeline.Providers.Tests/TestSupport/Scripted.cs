using System.Runtime.CompilerServices;
using Pipeline.Contracts.Provider.V1;

namespace Pipeline.Providers.Tests.TestSupport;

/// <summary>Building blocks for <see cref="ProviderScript"/> steps: frames to yield, failures to throw, a call that hangs.</summary>
internal static class Scripted
{
    public static ProviderRequest Request() => new() { Operation = Operation.Generate, Model = "gpt-image-1", Prompt = "a red fox", RunId = "run-1" };

    public static ProviderFrame Final(ProviderCallContext context, int index, int size = 16)
    {
        var image = context.Images.FromBytes(TestImages.Png(size, size), "data[0].b64_json");
        return new ProviderFrame { Final = context.Images.ToFinalImage(image, index) };
    }

    public static ProviderFrame Partial(ProviderCallContext context, int index)
    {
        var image = context.Images.FromBytes(TestImages.Png(), "partial_image_b64");
        return new ProviderFrame { Partial = context.Images.ToPartialImage(image, index, 0) };
    }

    public static async IAsyncEnumerable<ProviderFrame> Frames(params ProviderFrame[] frames)
    {
        foreach (var frame in frames)
        {
            await Task.Yield();
            yield return frame;
        }
    }

    public static async IAsyncEnumerable<ProviderFrame> Frames(ProviderFrame[] frames, Exception then)
    {
        foreach (var frame in frames)
        {
            await Task.Yield();
            yield return frame;
        }
        throw then;
    }

    public static async IAsyncEnumerable<ProviderFrame> Throw(Exception exception)
    {
        await Task.Yield();
        throw exception;
#pragma warning disable CS0162 // An iterator needs a yield to be one.
        yield break;
#pragma warning restore CS0162
    }

    public static async IAsyncEnumerable<ProviderFrame> Hang([EnumeratorCancellation] CancellationToken ct, TaskCompletionSource cancelled)
    {
        using var registration = ct.Register(() => cancelled.TrySetResult());
        await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        yield break;
    }
}

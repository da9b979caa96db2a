using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Provider.V1;
using Grpc.Core;

namespace OpenAI.Adapter.Tests.TestSupport;

/// <summary>What one Generate call streamed, and how it ended.</summary>
internal sealed record CallResult(IReadOnlyList<ProviderFrame> Frames, RpcException? Error)
{
    public IReadOnlyList<PartialImage> Partials => [.. Frames.Where(f => f.Partial is not null).Select(f => f.Partial)];

    public IReadOnlyList<FinalImage> Finals => [.. Frames.Where(f => f.Final is not null).Select(f => f.Final)];

    /// <summary>The call's error; fails the test when it succeeded.</summary>
    public RpcException Failure => Error ?? throw new Xunit.Sdk.XunitException($"the call succeeded with {Frames.Count} frame(s); a failure was expected");

    /// <summary>Fails the test when the call failed.</summary>
    public CallResult Succeeded() => Error is null ? this : throw new Xunit.Sdk.XunitException($"the call failed: {RpcFailures.Describe(Error)}");
}

/// <summary>Requests and calls.</summary>
internal static class Calls
{
    public static ProviderRequest Generate(string model = "gpt-image-1", string size = "1024x1024", string quality = "low", int n = 0, int partials = 0) => new()
    {
        Operation = Operation.Generate,
        Model = model,
        Prompt = "a lighthouse on a cliff at dusk",
        Size = size,
        Quality = quality,
        N = n,
        PartialImages = partials,
        RunId = "run-test",
    };

    public static ProviderRequest Edit(int partials = 0, params byte[][] images)
    {
        var request = new ProviderRequest
        {
            Operation = Operation.Edit,
            Model = "gpt-image-1",
            Prompt = "paint the sky violet",
            Size = "1024x1024",
            Quality = "low",
            PartialImages = partials,
            RunId = "run-test",
        };
        request.InputImages.AddRange(images.Select(bytes => Input(bytes)));
        return request;
    }

    /// <summary>An input image (or mask) carrying <paramref name="bytes"/>.</summary>
    public static InputImage Input(byte[] bytes, string filename = "") => new() { Data = ByteString.CopyFrom(bytes), Filename = filename };

    public static ProviderRequest Responses(string model = "gpt-image-1", int partials = 0, string hostModel = "")
    {
        var request = new ProviderRequest
        {
            Operation = Operation.Responses,
            Model = model,
            Prompt = "draw an owl made of river water",
            Size = "1024x1024",
            Quality = "low",
            PartialImages = partials,
            RunId = "run-test",
        };
        if (hostModel.Length > 0)
        {
            request.Extra = new Struct { Fields = { ["host_model"] = Value.ForString(hostModel) } };
        }
        return request;
    }

    /// <summary>Call options with the default test deadline, optional metadata and a cancellation token.</summary>
    public static CallOptions Timeout(Metadata? headers = null, CancellationToken cancellationToken = default) =>
        new(headers: headers, deadline: DateTime.UtcNow + TestTimeouts.Default, cancellationToken: cancellationToken);

    /// <summary>Runs a Generate call to its end, collecting frames; an RpcException is returned, not thrown.</summary>
    public static Task<CallResult> CollectAsync(this ProviderAdapter.ProviderAdapterClient client, ProviderRequest request, CallOptions? options = null) =>
        CollectCoreAsync(client, request, options ?? Timeout()).DefaultTimeout();

    private static async Task<CallResult> CollectCoreAsync(ProviderAdapter.ProviderAdapterClient client, ProviderRequest request, CallOptions options)
    {
        var frames = new List<ProviderFrame>();
        using var call = client.Generate(request, options);
        try
        {
            await foreach (var frame in call.ResponseStream.ReadAllAsync())
            {
                frames.Add(frame);
            }
            return new CallResult(frames, null);
        }
        catch (RpcException ex)
        {
            return new CallResult(frames, ex);
        }
    }
}

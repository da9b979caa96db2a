using System.Security.Cryptography;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Provider.V1;
using Pipeline.ServiceDefaults.Grpc;

namespace Router.Service.Tests.TestSupport;

/// <summary>Building blocks of <see cref="AdapterScript"/>s.</summary>
internal static class AdapterScripts
{
    /// <summary>The bytes of image <paramref name="index"/> for <paramref name="request"/> (deterministic per run id and index).</summary>
    public static byte[] ImageFor(ProviderRequest request, int index) =>
        TestImages.Encode(request.OutputFormat, seed: SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{request.RunId}/{index}"))[0]);

    /// <summary>For each of the n images: <c>partial_images</c> partial frames, then the final image.</summary>
    public static AdapterScript Images() => async (call, stream, cancellationToken) =>
    {
        var request = call.Request;
        for (var index = 0; index < Math.Max(1, request.N); index++)
        {
            for (var partial = 0; partial < request.PartialImages; partial++)
            {
                await stream.WriteAsync(Partial(request, index, partial), cancellationToken);
            }
            await stream.WriteAsync(Final(request, index), cancellationToken);
        }
    };

    /// <summary>One final image whose price the adapter did not know (cost_known false, the priced part as a lower bound).</summary>
    public static AdapterScript UnknownCost() => async (call, stream, cancellationToken) =>
    {
        var frame = Final(call.Request, 0);
        frame.Final.CostUsdMicros = 4_000;
        frame.Final.CostKnown = false;
        await stream.WriteAsync(frame, cancellationToken);
    };

    /// <summary>Fails at once with <paramref name="code"/> (and optional google.rpc details).</summary>
    public static AdapterScript Fail(StatusCode code, string detail, params IMessage[] details) =>
        (_, _, _) => throw RichStatus.Create(code, detail, details).ToRpcException();

    /// <summary>Sends one partial frame of image 0, then fails with <paramref name="code"/>.</summary>
    public static AdapterScript PartialThenFail(StatusCode code) => async (call, stream, cancellationToken) =>
    {
        await stream.WriteAsync(Partial(call.Request, 0, 0), cancellationToken);
        throw RichStatus.Create(code, "the provider failed after a partial image").ToRpcException();
    };

    /// <summary>Sends nothing until the call is cancelled (by the caller or its deadline).</summary>
    public static AdapterScript Hang() => async (_, _, cancellationToken) =>
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Waits for <paramref name="gate"/> (or the call's cancellation), then plays <paramref name="then"/>.</summary>
    public static AdapterScript After(Task gate, AdapterScript then) => async (call, stream, cancellationToken) =>
    {
        await gate.WaitAsync(cancellationToken);
        await then(call, stream, cancellationToken);
    };

    /// <summary>Sends the partials of image 0, waits for <paramref name="gate"/>, then sends every final image.</summary>
    public static AdapterScript PartialsThenWait(Task gate) => async (call, stream, cancellationToken) =>
    {
        var request = call.Request;
        for (var partial = 0; partial < request.PartialImages; partial++)
        {
            await stream.WriteAsync(Partial(request, 0, partial), cancellationToken);
        }
        await gate.WaitAsync(cancellationToken);
        for (var index = 0; index < Math.Max(1, request.N); index++)
        {
            await stream.WriteAsync(Final(request, index), cancellationToken);
        }
    };

    /// <summary>A content-policy refusal as the adapters report it: FAILED_PRECONDITION with the provider's reason.</summary>
    public static AdapterScript ContentPolicy() => Fail(StatusCode.FailedPrecondition, "moderation_blocked: the prompt was rejected",
        new ErrorInfo { Reason = "moderation_blocked", Domain = "openai" });

    public static ProviderFrame Partial(ProviderRequest request, int index, int partial)
    {
        var bytes = TestImages.Encode(request.OutputFormat, seed: 100 + partial, width: 8, height: 6);
        return new ProviderFrame
        {
            Partial = new PartialImage { ImageIndex = index, PartialIndex = partial, Data = ByteString.CopyFrom(bytes), MimeType = MimeType(request) },
        };
    }

    public static ProviderFrame Final(ProviderRequest request, int index)
    {
        var bytes = ImageFor(request, index);
        return new ProviderFrame
        {
            Final = new FinalImage
            {
                ImageIndex = index,
                Data = ByteString.CopyFrom(bytes),
                MimeType = MimeType(request),
                Width = 16,
                Height = 12,
                RevisedPrompt = $"revised: {request.Prompt}",
                Usage = new Usage { InputTokens = 10, OutputTokens = 100, TotalTokens = 110 },
                CostUsdMicros = 11_000,
                CostKnown = true,
                ProviderRequestId = $"req_{index}",
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                Model = request.Model,
            },
        };
    }

    private static string MimeType(ProviderRequest request) => request.OutputFormat switch
    {
        "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        _ => "image/png",
    };
}

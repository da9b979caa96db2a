using System.Diagnostics;
using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;

namespace Pipeline.Reliability.Soak;

/// <summary>
/// One streamed generation of the soak through the gateway's gRPC <c>Generate</c>: seconds to the first Partial frame and
/// to the last Final frame, or the kind of error it ended with (the gRPC status code, the exception type, or what the
/// stream lacked) and its message.
/// </summary>
public sealed record SoakCall(double? FirstPartialSeconds, double? FinalSeconds, string? ErrorKind, string? ErrorMessage)
{
    /// <summary>The config every soak call uses: gpt-image-1 at low quality, JPEG (the emulator streams its partials).</summary>
    public const string Config = "gpt-image-1_draft";

    /// <summary>Partial frames asked per image.</summary>
    public const int PartialImages = 2;

    /// <summary>Prompts rotate over this many, so the emulator's image cache and storage's deduplication stay bounded.</summary>
    public const int Prompts = 16;

    /// <summary>Runs call number <paramref name="sequence"/> with a deadline of <paramref name="deadline"/> from now.</summary>
    public static async Task<SoakCall> RunAsync(ImageGeneration.ImageGenerationClient client, string apiKey, long sequence, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var request = new GenerateRequest
        {
            Prompt = $"soak test picture {sequence % Prompts}: a lighthouse at dusk",
            Config = Config,
            Parameters = new GenerationParameters { PartialImages = PartialImages, Size = "1024x1024" },
        };
        var watch = Stopwatch.StartNew();
        double? firstPartial = null;
        try
        {
            using var call = client.Generate(request, new Metadata { { "authorization", $"Bearer {apiKey}" } },
                DateTime.UtcNow + deadline, cancellationToken);
            await foreach (var frame in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                if (frame.FrameCase == GenerateFrame.FrameOneofCase.Partial)
                {
                    firstPartial ??= watch.Elapsed.TotalSeconds;
                }
                else if (frame.FrameCase == GenerateFrame.FrameOneofCase.Final && frame.Final.Last)
                {
                    var final = watch.Elapsed.TotalSeconds;
                    return frame.Final.FinishReason != FinishReason.Stored
                        ? new SoakCall(firstPartial, final, $"final {frame.Final.FinishReason}", frame.Final.FinishDetail)
                        : firstPartial is null
                            ? new SoakCall(null, final, "no partial frame", $"the stream sent its last final after {final:0.000} s without a partial")
                            : new SoakCall(firstPartial, final, null, null);
                }
            }
            return new SoakCall(firstPartial, null, "no last final frame", "the stream ended OK without a final frame marked last");
        }
        catch (RpcException ex)
        {
            return new SoakCall(firstPartial, null, ex.StatusCode.ToString(), ex.Status.Detail);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new SoakCall(firstPartial, null, ex.GetType().Name, ex.Message);
        }
    }
}

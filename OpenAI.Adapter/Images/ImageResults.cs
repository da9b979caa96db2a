using System.Runtime.CompilerServices;
using OpenAI.Images;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace OpenAI.Adapter.Images;

/// <summary>A non-streamed Images reply (<see cref="GeneratedImageCollection"/>) as final frames, one per image, in order.</summary>
internal static class ImageResults
{
    public static async IAsyncEnumerable<ProviderFrame> FinalsAsync(GeneratedImageCollection images, string? requestId, ProviderRequest request,
        ProviderCallContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var usage = ImageUsage.From(images.Usage);
        for (var index = 0; index < images.Count; index++)
        {
            var image = await VerifyAsync(images[index], index, context.Images, cancellationToken);
            var final = context.Images.ToFinalImage(image, index);
            final.RevisedPrompt = images[index].RevisedPrompt ?? "";
            final.ProviderRequestId = requestId ?? "";
            final.Model = request.Model;
            if (usage is not null)
            {
                final.Usage = ProviderUsage.Share(usage, images.Count, index);
            }
            yield return new ProviderFrame { Final = final };
        }
    }

    /// <summary>GPT image models return base64 (decoded by the SDK); DALL·E returns a URL unless asked for base64.</summary>
    private static async Task<VerifiedImage> VerifyAsync(GeneratedImage image, int index, ImageNormalizer images, CancellationToken cancellationToken)
    {
        if (image.ImageBytes is { } bytes)
        {
            return images.FromBytes(bytes.ToMemory(), $"data[{index}].b64_json");
        }
        if (image.ImageUri is { } uri)
        {
            return await images.NormalizeAsync(uri.AbsoluteUri, $"data[{index}].url", cancellationToken);
        }
        throw new ProviderException(ProviderFailureKind.MalformedResponse, $"data[{index}] has neither b64_json nor url.");
    }
}

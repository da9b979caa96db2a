using System.Runtime.CompilerServices;
using OpenAI.Adapter.Sdk;
using OpenAI.Images;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace OpenAI.Adapter.Images;

/// <summary>POST /images/edits with one or more input images and an optional mask, streamed when partial images are asked for.</summary>
internal static class ImageEdits
{
    public static async IAsyncEnumerable<ProviderFrame> EditAsync(OpenAIClients clients, ProviderRequest request, ProviderCallContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var form = await ImageEditForm.CreateAsync(request, cancellationToken);
        var client = clients.Images(request.Model);
        if (request.PartialImages > 0)
        {
            var events = await client.GenerateImageEditsAsync(form.Content, form.ContentType, ImageGenerations.Streamed(cancellationToken));
            await foreach (var frame in ImageEventStream.ReadAsync(events, "image_edit", request, context, cancellationToken))
            {
                yield return frame;
            }
            yield break;
        }

        var result = await client.GenerateImageEditsAsync(form.Content, form.ContentType, new System.ClientModel.Primitives.RequestOptions { CancellationToken = cancellationToken });
        var images = (GeneratedImageCollection)result;
        await foreach (var frame in ImageResults.FinalsAsync(images, OpenAIFailures.RequestId(result.GetRawResponse().Headers), request, context, cancellationToken))
        {
            yield return frame;
        }
    }
}

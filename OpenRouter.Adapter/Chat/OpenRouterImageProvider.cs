using System.Runtime.CompilerServices;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace OpenRouter.Adapter.Chat;

/// <summary>
/// OpenRouter chat completions with image output (<c>modalities:["image","text"]</c>). Images come whole in
/// <c>message.images[]</c> (or <c>image_url</c> content parts); OpenRouter has no <c>n</c> for images, so n images take n
/// calls, one after the other. With partial_images above 0 the call is streamed: each image is sent as a partial frame the
/// moment its delta arrives (OpenRouter streams no coarser previews), and the finals follow once usage is known.
/// </summary>
internal sealed class OpenRouterImageProvider(HttpClient http, OpenRouterChatOptions chat) : IImageProvider
{
    public async IAsyncEnumerable<ProviderFrame> GenerateAsync(ProviderRequest request, ProviderCallContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var wanted = request.ImageCount();
        var stream = request.PartialImages > 0;
        var produced = 0;
        for (var call = 0; produced < wanted; call++)
        {
            using var message = ChatRequestBuilder.Build(request, context.ApiKey, stream, call, chat, context.Options);
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw await ProviderErrors.FromResponseAsync(response, cancellationToken);
            }
            var requestId = ProviderErrors.ReadRequestId(response.Headers);
            ChatResult result;
            if (stream)
            {
                var reader = new ChatStreamReader(context.Images, requestId);
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                var index = produced;
                await foreach (var image in reader.ReadAsync(body, cancellationToken))
                {
                    yield return new ProviderFrame { Partial = context.Images.ToPartialImage(image, index++, partialIndex: 0) };
                }
                result = reader.Result;
            }
            else
            {
                result = await ChatCompletionReader.ReadAsync(response, context.Images, requestId, cancellationToken);
            }
            if (result.Images.Count == 0)
            {
                throw NoImage(result);
            }
            for (var i = 0; i < result.Images.Count; i++)
            {
                yield return new ProviderFrame { Final = ToFinal(result, i, produced + i, context) };
            }
            produced += result.Images.Count;
            context.Activity?.SetTag("gen_ai.response.finish_reasons", new[] { result.FinishReason ?? "" });
        }
    }

    private static FinalImage ToFinal(ChatResult result, int i, int imageIndex, ProviderCallContext context)
    {
        var final = context.Images.ToFinalImage(result.Images[i], imageIndex);
        final.Model = result.Model ?? "";
        final.ProviderRequestId = result.Id ?? "";
        final.Text = result.Text.ToString();
        if (result.Usage is { } usage)
        {
            final.Usage = ProviderUsage.Share(usage, result.Images.Count, i);
        }
        if (result.CostUsdMicros is { } cost)
        {
            final.CostUsdMicros = ProviderUsage.Share(cost, result.Images.Count, i);
            final.CostKnown = true;
        }
        return final;
    }

    private static ProviderException NoImage(ChatResult result)
    {
        if (result.FinishReason == "content_filter")
        {
            return new ProviderException(ProviderFailureKind.ContentPolicy, "OpenRouter filtered the output (finish_reason content_filter).",
                providerCode: "content_filter", providerRequestId: result.Id);
        }
        var text = result.Text.ToString();
        var said = text.Length == 0 ? "no text" : $"text '{(text.Length > 200 ? text[..200] + "…" : text)}'";
        return new ProviderException(ProviderFailureKind.MalformedResponse,
            $"Malformed OpenRouter reply: no image in choices[0].message.images (finish_reason {result.FinishReason ?? "null"}, {said}).",
            providerRequestId: result.Id);
    }
}

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace OpenAI.Adapter.Sdk;

/// <summary>
/// Turns what the SDK throws into <see cref="ProviderException"/>s: <see cref="ClientResultException"/> (a non-success
/// status, with the raw body and headers) through <see cref="ProviderErrors.FromHttp"/>, and undecodable base64 as malformed
/// output. Connection failures and malformed JSON are left to the adapter service, which maps them the same way for
/// every provider.
/// </summary>
internal static class OpenAIFailures
{
    /// <summary>Enumerates <paramref name="frames"/>, translating failures as they surface.</summary>
    public static async IAsyncEnumerable<ProviderFrame> TranslateAsync(IAsyncEnumerable<ProviderFrame> frames, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var enumerator = frames.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync();
            }
            catch (ClientResultException ex)
            {
                throw FromClientResult(ex);
            }
            catch (FormatException ex)
            {
                throw new ProviderException(ProviderFailureKind.MalformedResponse, $"OpenAI returned an undecodable value: {ex.Message}", innerException: ex);
            }
            if (!more)
            {
                yield break;
            }
            yield return enumerator.Current;
        }
    }

    /// <summary>A non-success reply: status, error envelope, retry-after and x-request-id.</summary>
    public static ProviderException FromClientResult(ClientResultException exception)
    {
        if (exception.GetRawResponse() is not { } response)
        {
            return new ProviderException(ProviderFailureKind.Unavailable, $"The OpenAI request failed without a response: {exception.Message}",
                httpStatus: exception.Status == 0 ? null : exception.Status, innerException: exception);
        }
        return ProviderErrors.FromHttp(response.Status, ReadBody(response), ReadRetryAfter(response.Headers), RequestId(response.Headers));
    }

    /// <summary>The provider's request id (x-request-id), for support tickets.</summary>
    public static string? RequestId(PipelineResponseHeaders headers) =>
        headers.TryGetValue("x-request-id", out var id) && !string.IsNullOrEmpty(id) ? id : null;

    /// <summary>retry-after-ms / retry-after, read by the shared parser.</summary>
    private static TimeSpan? ReadRetryAfter(PipelineResponseHeaders headers)
    {
        using var carrier = new HttpResponseMessage();
        foreach (var name in (string[])["retry-after-ms", "retry-after"])
        {
            if (headers.TryGetValue(name, out var value) && value is not null)
            {
                carrier.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return ProviderErrors.ReadRetryAfter(carrier.Headers);
    }

    private static string? ReadBody(PipelineResponse response)
    {
        try
        {
            return response.Content?.ToString();
        }
        catch (InvalidOperationException)
        {
            // The body was streamed, not buffered, and is gone; the status alone still classifies the failure.
            return null;
        }
    }
}

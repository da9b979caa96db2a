using System.Diagnostics;
using Pipeline.Contracts.Provider.V1;

namespace Pipeline.Providers;

/// <summary>The one thing an adapter implements: a call to its provider as a stream of frames.</summary>
public interface IImageProvider
{
    /// <summary>
    /// Calls the provider and yields frames: partials as they arrive, then one FinalImage per image.
    /// Throws <see cref="ProviderException"/> for provider failures. Must pass <paramref name="cancellationToken"/> to every
    /// HTTP call so a cancelled caller aborts the provider request at once.
    /// </summary>
    IAsyncEnumerable<ProviderFrame> GenerateAsync(ProviderRequest request, ProviderCallContext context, CancellationToken cancellationToken);
}

/// <summary>What a provider call gets besides the request.</summary>
/// <param name="ApiKey">The key to send: the caller's (x-provider-key) or the configured one. Never log it.</param>
/// <param name="Images">Turns whatever the provider returned into verified images and frames.</param>
/// <param name="Options">The adapter's validated options.</param>
/// <param name="Activity">The call's gen_ai span, or null when nobody listens.</param>
public sealed record ProviderCallContext(string ApiKey, ImageNormalizer Images, ProviderOptions Options, Activity? Activity)
{
    /// <summary>The key stays out of ToString.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("ApiKey = ***, Options = ").Append(Options);
        return true;
    }
}

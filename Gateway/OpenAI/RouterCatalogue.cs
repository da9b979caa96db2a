using System.Collections.Concurrent;
using Pipeline.ServiceDefaults.Security;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.OpenAI;

/// <summary>
/// The router's configs as the OpenAI routes need them, fetched once per language and shared for
/// <see cref="Lifetime"/>: a generation resolves its <c>model</c> without a ListConfigs round trip of its own. The
/// router reloads its catalogue when a file changes, so an entry is only kept briefly; a failed fetch is not kept.
/// Each fetch carries the caller's headers, and entries are kept per caller: what a tenant may see is the router's call.
/// </summary>
public sealed class RouterCatalogue(ImageGeneration.ImageGenerationClient router, TimeProvider time)
{
    /// <summary>How long a fetched catalogue is reused: 5 s.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<(string Language, Caller Caller), Entry> _entries = new();

    /// <summary>The catalogue localized for <paramref name="language"/> ("" for the default language), as <paramref name="caller"/> sees it.</summary>
    public Task<ListConfigsResponse> GetAsync(string language, Caller caller, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entry = _entries.AddOrUpdate((language, caller), k => Fetch(k, now), (k, e) => e.IsUsable(now) ? e : Fetch(k, now));
        return entry.Catalogue.WaitAsync(cancellationToken);
    }

    // Not bound to one caller's cancellation: the fetch is shared by every request of the same caller that arrives meanwhile.
    private Entry Fetch((string Language, Caller Caller) key, DateTimeOffset now) => new(
        router.ListConfigsAsync(new ListConfigsRequest { Language = key.Language }, key.Caller.AddTo(null), time.GetUtcNow().UtcDateTime + s_timeout).ResponseAsync,
        now);

    private sealed record Entry(Task<ListConfigsResponse> Catalogue, DateTimeOffset FetchedAt)
    {
        public bool IsUsable(DateTimeOffset now) =>
            now - FetchedAt < Lifetime && !Catalogue.IsFaulted && !Catalogue.IsCanceled;
    }
}

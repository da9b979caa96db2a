using System.Collections.Concurrent;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.OpenAI;

/// <summary>
/// The router's configs as the OpenAI routes need them, fetched once per language and shared for
/// <see cref="Lifetime"/>: a generation resolves its <c>model</c> without a ListConfigs round trip of its own. The
/// router reloads its catalogue when a file changes, so an entry is only kept briefly; a failed fetch is not kept.
/// </summary>
public sealed class RouterCatalogue(ImageGeneration.ImageGenerationClient router, TimeProvider time)
{
    /// <summary>How long a fetched catalogue is reused: 5 s.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The catalogue localized for <paramref name="language"/> ("" for the default language).</summary>
    public Task<ListConfigsResponse> GetAsync(string language, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entry = _entries.AddOrUpdate(language, l => Fetch(l, now), (l, e) => e.IsUsable(now) ? e : Fetch(l, now));
        return entry.Catalogue.WaitAsync(cancellationToken);
    }

    // Not bound to one caller's cancellation: the fetch is shared by every request that arrives meanwhile.
    private Entry Fetch(string language, DateTimeOffset now) => new(
        router.ListConfigsAsync(new ListConfigsRequest { Language = language }, deadline: time.GetUtcNow().UtcDateTime + s_timeout).ResponseAsync,
        now);

    private sealed record Entry(Task<ListConfigsResponse> Catalogue, DateTimeOffset FetchedAt)
    {
        public bool IsUsable(DateTimeOffset now) =>
            now - FetchedAt < Lifetime && !Catalogue.IsFaulted && !Catalogue.IsCanceled;
    }
}

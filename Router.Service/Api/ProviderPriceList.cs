using System.Collections.Concurrent;
using Grpc.Core;
using Pipeline.Contracts.Provider.V1;
using Router.Service.Catalogue;
using Router.Service.Generation;

namespace Router.Service.Api;

/// <summary>
/// The adapters' own price tables (their <c>ListModels</c>), so the catalogue's cost estimates come from the prices the
/// adapters charge by. Each adapter is asked at most every five minutes, with a short deadline; an adapter that cannot
/// answer leaves its configs with the catalogue's own estimate until it can.
/// </summary>
internal sealed class ProviderPriceList(AdapterClients adapters, TimeProvider time, ILogger<ProviderPriceList> logger)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<AdapterKind, (DateTimeOffset At, IReadOnlyDictionary<string, ModelInfo> Models)> _tables = new();

    /// <summary>Every adapter's models by id, for the adapters of <paramref name="configs"/> (an adapter that failed: none).</summary>
    public async Task<Func<ConfigDefinition, long?>> EstimatorAsync(IEnumerable<ConfigDefinition> configs, CancellationToken cancellationToken)
    {
        var kinds = configs.Select(c => c.Chunk.Adapter).Distinct().ToList();
        var tables = await Task.WhenAll(kinds.Select(kind => TableAsync(kind, cancellationToken)));
        var byKind = kinds.Zip(tables).ToDictionary(p => p.First, p => p.Second);
        return config => byKind.GetValueOrDefault(config.Chunk.Adapter)?.GetValueOrDefault(config.Chunk.Model) is { } model
            ? Estimate(model, config.Parameters.Size, config.Parameters.Quality)
            : null;
    }

    /// <summary>
    /// The price of one image of <paramref name="size"/> and <paramref name="quality"/> as the adapters look it up (exact,
    /// then size alone, then quality alone, then any); <c>auto</c> is priced as 1024x1024 and high quality, an upper
    /// estimate. Null when the table has no price for it.
    /// </summary>
    public static long? Estimate(ModelInfo model, string? size, string? quality)
    {
        size = size is null or "auto" ? "1024x1024" : size;
        quality = quality is null or "auto" ? "high" : quality;
        bool SizeIs(Price p) => string.Equals(p.Size, size, StringComparison.OrdinalIgnoreCase);
        bool QualityIs(Price p) => string.Equals(p.Quality, quality, StringComparison.OrdinalIgnoreCase);
        var price = model.Prices.FirstOrDefault(p => SizeIs(p) && QualityIs(p))
            ?? model.Prices.FirstOrDefault(p => SizeIs(p) && p.Quality.Length == 0)
            ?? model.Prices.FirstOrDefault(p => p.Size.Length == 0 && QualityIs(p))
            ?? model.Prices.FirstOrDefault(p => p.Size.Length == 0 && p.Quality.Length == 0);
        return price?.UsdMicrosPerImage;
    }

    private async Task<IReadOnlyDictionary<string, ModelInfo>?> TableAsync(AdapterKind kind, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_tables.TryGetValue(kind, out var cached) && now - cached.At < Fresh)
        {
            return cached.Models;
        }
        try
        {
            var response = await adapters.For(kind).ListModelsAsync(new ListModelsRequest(), deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
            var models = response.Models.GroupBy(m => m.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            _tables[kind] = (now, models);
            return models;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            CatalogueLog.PricesUnavailable(logger, kind.Name(), ex.StatusCode, ex.Status.Detail);
            return cached.Models;
        }
    }
}

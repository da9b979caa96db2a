using System.Collections.Concurrent;
using System.Diagnostics;
using Pipeline.Imaging;
using ProviderEmulator.Hosting;

namespace ProviderEmulator.Rendering;

/// <summary>Renders and encodes final and partial images; caches encoded bytes per spec (bounded).</summary>
internal sealed class ImageStudio(EmulatorOptions options, ILogger<ImageStudio> logger)
{
    // Encoded images are small (a 1024x1024 PNG is ~0.1-0.4 MB); decoded pictures are 4 MB each, so few are kept.
    private const int EncodedEntries = 64;
    private const int PictureEntries = 4;
    private readonly ConcurrentDictionary<string, RgbaImage> _pictures = new();
    private readonly ConcurrentDictionary<string, byte[]> _encoded = new();

    /// <summary>The final image, encoded.</summary>
    public byte[] Final(ImageSpec spec) => Cached(_encoded, EncodedEntries, spec.CacheKey, () => Encode(Picture(spec), spec));

    /// <summary>
    /// Partial image <paramref name="index"/> of <paramref name="count"/>: the final picture averaged over squares that
    /// halve at every stage (32, 16, 8 pixels for three partials), so each partial is a coarser version of the final.
    /// </summary>
    public byte[] Partial(ImageSpec spec, int index, int count)
    {
        var block = 4 << (count - index);
        return Cached(_encoded, EncodedEntries, $"partial{block}|{spec.CacheKey}", () => Encode(ImageFilters.Pixelate(Picture(spec), block), spec));
    }

    private RgbaImage Picture(ImageSpec spec) => Cached(_pictures, PictureEntries, spec.CacheKey, () =>
    {
        var generated = SceneRenderer.Render(spec.Prompt + spec.Edit?.Digest, spec.Width, spec.Height, spec.Seed, spec.Transparent);
        return spec.Edit?.Image is { } input ? ImageFilters.Composite(generated, input, spec.Edit.Mask) : generated;
    });

    private byte[] Encode(RgbaImage image, ImageSpec spec)
    {
        var started = Stopwatch.GetTimestamp();
        var bytes = spec.Format switch
        {
            ImageFormat.Jpeg => JpegCodec.Encode(image, Math.Clamp(spec.Compression, 1, 100)),
            ImageFormat.WebP => WebPCodec.EncodeLossless(image),
            _ => PngCodec.Encode(image),
        };
        EmulatorLog.ImageEncoded(logger, image.Width, image.Height, spec.Format.ToOutputFormat(), bytes.Length, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return bytes;
    }

    private T Cached<T>(ConcurrentDictionary<string, T> cache, int capacity, string key, Func<T> create)
    {
        if (!options.CacheImages)
        {
            return create();
        }

        if (cache.TryGetValue(key, out var value))
        {
            return value;
        }

        if (cache.Count >= capacity)
        {
            cache.Clear();
        }

        return cache.GetOrAdd(key, _ => create());
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Pipeline.Imaging;
using ProviderEmulator.Hosting;
using SkiaSharp;

namespace ProviderEmulator.Rendering;

/// <summary>Renders and encodes final and partial images with Skia; caches pictures and encoded bytes per spec (bounded).</summary>
internal sealed class ImageStudio(EmulatorOptions options, ILogger<ImageStudio> logger)
{
    // Encoded images are small (a 1024x1024 PNG is ~0.1-0.4 MB); decoded pictures are 4 MB each, so few are kept.
    private const int EncodedEntries = 64;
    private const int PictureEntries = 4;
    // The Sub filter and zlib level 1 keep a 1024x1024 PNG at ~20 ms (all filters at level 6 take 4-5 times as long).
    private static readonly SKPngEncoderOptions PngOptions = new(SKPngEncoderFilterFlags.Sub, 1);
    private readonly ConcurrentDictionary<string, Raster> _pictures = new();
    private readonly ConcurrentDictionary<string, byte[]> _encoded = new();

    /// <summary>
    /// The final image, encoded; with <see cref="EmulatorOptions.DistinctImages"/>, a stamped copy of it (the cached
    /// bytes are never changed), unique to this call.
    /// </summary>
    public byte[] Final(ImageSpec spec)
    {
        var image = Cached(_encoded, EncodedEntries, spec.CacheKey, () => Encode(Picture(spec), spec));
        return options.DistinctImages ? ImagePadding.Stamp(image, spec.Format) : image;
    }

    /// <summary>
    /// Partial image <paramref name="index"/> of <paramref name="count"/>, in the final's size and format: the final
    /// picture shrunk by a factor that halves at every stage (32, 16, 8 for three partials) and scaled back up, under a
    /// grey veil that fades, so partial 0 is the coarsest and each later one is closer to the final.
    /// </summary>
    public byte[] Partial(ImageSpec spec, int index, int count)
    {
        var remaining = count - index;
        var block = 4 << remaining;
        var veil = 0.04f * remaining;
        return Cached(_encoded, EncodedEntries, $"partial{block}|{spec.CacheKey}", () => Encode(ImageFilters.Preview(Picture(spec), block, veil), spec));
    }

    private Raster Picture(ImageSpec spec) => Cached(_pictures, PictureEntries, spec.CacheKey, () =>
    {
        var generated = SceneRenderer.Render(spec.Prompt + spec.Edit?.Digest, spec.Width, spec.Height, spec.Seed, spec.Transparent);
        return spec.Edit?.Image is { } input ? ImageFilters.Composite(generated, input, spec.Edit.Mask) : generated;
    });

    private byte[] Encode(Raster image, ImageSpec spec)
    {
        var started = Stopwatch.GetTimestamp();
        var quality = Math.Clamp(spec.Compression, 0, 100);
        var bytes = image.Use(pixmap =>
        {
            using var data = spec.Format switch
            {
                ImageFormat.Jpeg => pixmap.Encode(new SKJpegEncoderOptions(Math.Max(1, quality), SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
                ImageFormat.WebP => pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, quality)),
                _ => pixmap.Encode(PngOptions),
            };
            return data?.ToArray() ?? throw new InvalidOperationException($"Skia could not encode a {image.Width}x{image.Height} {spec.Format} image");
        });
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

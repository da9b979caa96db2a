using System.Globalization;

namespace Pipeline.Imaging;

/// <summary>
/// The largest image accepted, by its declared dimensions: the guard against decompression bombs, checked on the header
/// before anything is decoded or allocated. Applies to provider outputs and to caller uploads alike.
/// </summary>
public sealed record ImageLimits
{
    /// <summary>Default <see cref="MaxMegapixels"/>: 100 (10⁸ pixels).</summary>
    public const int DefaultMaxMegapixels = 100;

    /// <summary>Default <see cref="MaxSide"/>: 16,384 pixels (WebP's own limit).</summary>
    public const int DefaultMaxSide = 16_384;

    /// <summary>The defaults: 100 megapixels and 16,384 pixels per side. Options that configuration binds into start from <c>new()</c>, never from this shared instance.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>Largest width × height, in millions of pixels. Default 100; allowed 1 to 1,000.</summary>
    public int MaxMegapixels { get; init; } = DefaultMaxMegapixels;

    /// <summary>Largest width and largest height, in pixels. Default 16,384; allowed 16 to 65,535.</summary>
    public int MaxSide { get; init; } = DefaultMaxSide;

    /// <summary>Null when <paramref name="info"/> is within the limits, else why not, e.g.
    /// "PNG declares 60000x60000 pixels (3600 MP); the limit is 100 MP and 16384 per side".</summary>
    public string? Check(ImageInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var pixels = (long)info.Width * info.Height;
        if (pixels <= MaxMegapixels * 1_000_000L && info.Width <= MaxSide && info.Height <= MaxSide)
        {
            return null;
        }
        var megapixels = (pixels / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture);
        return $"{info.Format.ToOutputFormat().ToUpperInvariant()} declares {info.Width}x{info.Height} pixels ({megapixels} MP); "
            + $"the limit is {MaxMegapixels} MP and {MaxSide} per side";
    }

    /// <summary>Adds a message for every value out of range, naming its key under <paramref name="section"/> (e.g. "Storage:ImageLimits").</summary>
    public void Validate(string section, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (MaxMegapixels is < 1 or > 1_000)
        {
            errors.Add($"'{section}:MaxMegapixels' is {MaxMegapixels}; allowed: 1 to 1000 (default {DefaultMaxMegapixels}).");
        }
        if (MaxSide is < 16 or > 65_535)
        {
            errors.Add($"'{section}:MaxSide' is {MaxSide}; allowed: 16 to 65535 pixels (default {DefaultMaxSide}).");
        }
    }
}

using Pipeline.Imaging;

namespace Pipeline.Providers;

/// <summary>Image bytes verified complete (PNG through IEND, JPEG to EOI, WebP RIFF size) and within the dimension limits; size from the header.</summary>
/// <param name="Data">The bytes.</param>
/// <param name="Format">PNG, JPEG or WebP, from the magic bytes.</param>
/// <param name="Width">Width in pixels, from the header.</param>
/// <param name="Height">Height in pixels, from the header.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of <paramref name="Data"/>.</param>
public sealed record VerifiedImage(byte[] Data, ImageFormat Format, int Width, int Height, string Sha256)
{
    /// <summary>image/png, image/jpeg or image/webp.</summary>
    public string MimeType => Format.ToMimeType();

    /// <summary>"WxH".</summary>
    public string Size => $"{Width}x{Height}";

    /// <summary>Sizes and hashes only: never the bytes.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Bytes = ").Append(Data.Length).Append(", Format = ").Append(Format)
            .Append(", Width = ").Append(Width).Append(", Height = ").Append(Height).Append(", Sha256 = ").Append(Sha256);
        return true;
    }
}

using Google.Protobuf;
using Pipeline.Contracts.Common.V1;
using Pipeline.Imaging;

namespace OpenAI.Adapter.Tests.TestSupport;

/// <summary>Input images for edits and the checks applied to returned ones.</summary>
internal static class TestImages
{
    public static byte[] SolidPng(int width, int height, Rgba32 colour)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image.SetPixel(x, y, colour);
            }
        }
        return PngCodec.Encode(image);
    }

    /// <summary>A mask whose left half is transparent (editable) and right half opaque (kept).</summary>
    public static byte[] LeftHalfMask(int width, int height)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = width / 2; x < width; x++)
            {
                image.SetPixel(x, y, new Rgba32(0, 0, 0, 255));
            }
        }
        return PngCodec.Encode(image);
    }

    public static InputImage Input(byte[] bytes, string filename = "") => new() { Data = ByteString.CopyFrom(bytes), Filename = filename };

    /// <summary>The bytes are a valid image of the given format and size (read from the header by ImageInspector).</summary>
    public static void AssertImage(ByteString bytes, ImageFormat format, int width, int height) =>
        Assert.Equal(new ImageInfo(format, width, height), ImageInspector.Inspect(bytes.Span));
}

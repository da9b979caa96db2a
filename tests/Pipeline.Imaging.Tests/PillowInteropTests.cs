using System.Diagnostics;

namespace Pipeline.Imaging.Tests;

/// <summary>
/// Our encoders checked by an independent decoder: Debian's python3 with Pillow (apt python3-pil).
/// Fails, with the reason, where /usr/bin/python3 has no Pillow (bash .ci/run installs python3-pil).
/// </summary>
public class PillowInteropTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task Png_DecodedByPillow_MatchesPixels()
    {
        var image = TestImages.Pattern(41, 19, withAlpha: true);
        var path = Write(PngCodec.Encode(image), "png");

        var pixels = await DecodeWithPillowAsync(path);

        Assert.Equal(image.Pixels, pixels);
    }

    [Theory]
    [InlineData(85)]
    [InlineData(95)]
    public async Task Jpeg_DecodedByPillow_IsCloseToSource(int quality)
    {
        var image = SmoothImage(67, 45);
        var path = Write(JpegCodec.Encode(image, quality), "jpg");

        var pixels = await DecodeWithPillowAsync(path);

        Assert.Equal(image.Pixels.Length, pixels.Length);
        double error = 0;
        for (var i = 0; i < pixels.Length; i++)
        {
            error += Math.Abs(pixels[i] - image.Pixels[i]);
        }

        var mean = error / pixels.Length;
        Assert.True(mean < 4, $"mean absolute error {mean:F2} per channel is too large for quality {quality}");
    }

    [Fact]
    public async Task WebP_DecodedByPillow_MatchesPixelsLosslessly()
    {
        var image = TestImages.Pattern(53, 31, withAlpha: true);
        var path = Write(WebPCodec.EncodeLossless(image), "webp");

        var pixels = await DecodeWithPillowAsync(path);

        Assert.Equal(image.Pixels, pixels);
    }

    private static RgbaImage SmoothImage(int width, int height)
    {
        var image = new RgbaImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image.SetPixel(x, y, new Rgba32((byte)(x * 3), (byte)(y * 4), (byte)(128 + (x - y)), 255));
            }
        }

        return image;
    }

    private static string Write(byte[] data, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pipeline-imaging-{Guid.NewGuid():N}.{extension}");
        File.WriteAllBytes(path, data);
        return path;
    }

    private static async Task<byte[]> DecodeWithPillowAsync(string path)
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} not found: install Debian's python3-pil (bash .ci/run does); this independent decoder check never skips.");
        }

        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys\ntry:\n from PIL import Image\nexcept ImportError:\n sys.exit(3)\n"
            + "sys.stdout.buffer.write(Image.open(sys.argv[1]).convert('RGBA').tobytes())");
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await copy.WaitAsync(TimeSpan.FromSeconds(30));
        File.Delete(path);
        if (process.ExitCode == 3)
        {
            Assert.Fail($"{Python} has no Pillow: install Debian's python3-pil (bash .ci/run does).");
        }

        Assert.True(process.ExitCode == 0, $"Pillow failed to decode: {await error.WaitAsync(TimeSpan.FromSeconds(5))}");
        return output.ToArray();
    }
}

using System.Diagnostics;

namespace Pipeline.Imaging.Tests;

/// <summary>
/// The verifier checked against an independent encoder and decoder: Debian's python3 with Pillow (apt python3-pil).
/// Fails, with the reason, where /usr/bin/python3 has no Pillow (bash .ci/run installs python3-pil).
/// </summary>
public sealed class PillowInteropTests : IDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-imaging-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("rgba.png", "img.save(out)")]
    [InlineData("interlaced.png", "img.save(out, optimize=False, interlace=1)")]
    [InlineData("palette.png", "img.convert('P', palette=Image.Palette.ADAPTIVE, colors=16).save(out)")]
    [InlineData("baseline.jpg", "img.convert('RGB').save(out, quality=85)")]
    [InlineData("progressive.jpg", "img.convert('RGB').save(out, quality=85, progressive=True)")]
    [InlineData("restarts.jpg", "img.convert('RGB').save(out, quality=85, restart_marker_blocks=1)")]
    [InlineData("exif.jpg", "img.convert('RGB').save(out, quality=85, exif=b'Exif\\x00\\x00MM\\x00\\x2a\\x00\\x00\\x00\\x08\\x00\\x00')")]
    [InlineData("lossy.webp", "img.convert('RGB').save(out, lossless=False)")]
    [InlineData("lossy-alpha.webp", "img.save(out, lossless=False)")]
    [InlineData("lossless.webp", "img.save(out, lossless=True)")]
    public async Task Verify_PillowMadeImage_IsComplete(string name, string save)
    {
        var path = await MakeWithPillowAsync(name, save);

        var info = ImageVerifier.Verify(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));

        Assert.Equal((301, 207), (info.Width, info.Height));
    }

    [Theory]
    [InlineData("cut.png", "img.save(out)", 200)]
    [InlineData("cut.jpg", "img.convert('RGB').save(out, quality=85)", 200)]
    [InlineData("cut.webp", "img.save(out, lossless=True)", 200)]
    public async Task Verify_PillowMadeImageCut_IsRefused(string name, string save, int dropped)
    {
        var bytes = await File.ReadAllBytesAsync(await MakeWithPillowAsync(name, save), TestContext.Current.CancellationToken);

        Assert.False(ImageVerifier.TryVerify(bytes.AsSpan(0, bytes.Length - dropped), ImageLimits.Default, out _, out var error));

        Assert.Matches("without IEND|no EOI marker|WebP is truncated", error);
    }

    [Theory]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.Jpeg)]
    [InlineData(ImageFormat.WebP)]
    public async Task SkiaImageTheVerifierAccepts_PillowDecodesToTheSameSize(ImageFormat format)
    {
        var bytes = TestImages.Encode(format, 123, 45, seed: 9);
        var path = Path.Combine(_folder, "skia." + format.ToExtension());
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);

        var pillow = await RunPythonAsync("img = Image.open(sys.argv[1]); img.load(); print(img.format, img.size[0], img.size[1])", path);

        Assert.Equal(ImageVerifier.Verify(bytes), new ImageInfo(format, 123, 45));
        Assert.Equal($"{(format == ImageFormat.Jpeg ? "JPEG" : format.ToOutputFormat().ToUpperInvariant())} 123 45", pillow.Trim());
    }

    /// <summary>Pillow draws a 301×207 RGBA gradient with alpha and saves it with <paramref name="save"/> (Python, <c>img</c> and <c>out</c> in scope).</summary>
    private async Task<string> MakeWithPillowAsync(string name, string save)
    {
        var path = Path.Combine(_folder, name);
        await RunPythonAsync(
            "img = Image.new('RGBA', (301, 207))\n"
            + "img.putdata([(x % 256, y % 256, (x * y) % 256, 128 + (x + y) % 128) for y in range(207) for x in range(301)])\n"
            + "out = sys.argv[1]\n"
            + save,
            path);
        return path;
    }

    private static async Task<string> RunPythonAsync(string script, string argument)
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} not found: install Debian's python3-pil (bash .ci/run does); this independent check never skips.");
        }
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys\ntry:\n from PIL import Image\nexcept ImportError:\n sys.exit(3)\n" + script);
        start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30));
        if (process.ExitCode == 3)
        {
            Assert.Fail($"{Python} has no Pillow: install Debian's python3-pil (bash .ci/run does).");
        }
        Assert.True(process.ExitCode == 0, $"Pillow failed: {await error.WaitAsync(TimeSpan.FromSeconds(5))}");
        return await output.WaitAsync(TimeSpan.FromSeconds(5));
    }
}

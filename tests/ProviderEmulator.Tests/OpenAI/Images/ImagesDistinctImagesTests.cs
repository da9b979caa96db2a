using System.Security.Cryptography;
using OpenAI.Images;
using Pipeline.Imaging;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.OpenAI.Images;

/// <summary><see cref="EmulatorOptions.DistinctImages"/> as seen through <c>POST /v1/images/generations</c>.</summary>
public class ImagesDistinctImagesTests
{
    private const int Width = 320;
    private const int Height = 256;

    [Theory]
    [InlineData("png", ImageFormat.Png)]
    [InlineData("jpeg", ImageFormat.Jpeg)]
    [InlineData("webp", ImageFormat.WebP)]
    public async Task Generate_DistinctImagesOn_IdenticalRequestsReturnDifferentBytesOfTheSamePicture(string outputFormat, ImageFormat format)
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { DistinctImages = true }, TestTimeouts.Token()).DefaultTimeout();

        var first = await GenerateAsync(emulator, outputFormat);
        var second = await GenerateAsync(emulator, outputFormat);

        Assert.NotEqual(first, second);
        TestImages.AssertImage(first, format, Width, Height);
        TestImages.AssertImage(second, format, Width, Height);
        Assert.Equal(ImageVerifier.Verify(first), ImageVerifier.Verify(second));
        Assert.Equal(TestImages.Decode(first).Rgba, TestImages.Decode(second).Rgba);
        Assert.NotEqual(SHA256.HashData(first), SHA256.HashData(second));
    }

    [Theory]
    [InlineData("png", ImageFormat.Png)]
    [InlineData("jpeg", ImageFormat.Jpeg)]
    [InlineData("webp", ImageFormat.WebP)]
    public async Task Generate_DistinctImagesOffByDefault_IdenticalRequestsReturnIdenticalBytes(string outputFormat, ImageFormat format)
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions(), TestTimeouts.Token()).DefaultTimeout();

        var first = await GenerateAsync(emulator, outputFormat);
        var second = await GenerateAsync(emulator, outputFormat);

        TestImages.AssertImage(first, format, Width, Height);
        Assert.Equal(first, second);
    }

    private static async Task<byte[]> GenerateAsync(RunningEmulator emulator, string outputFormat)
    {
        var client = Clients.Images(emulator, "gpt-image-2");
        var result = await client.GenerateImageAsync("a lighthouse on a distinct rock", new ImageGenerationOptions
        {
            Size = new GeneratedImageSize(Width, Height),
            OutputFileFormat = new GeneratedImageFileFormat(outputFormat),
            OutputCompressionFactor = outputFormat == "png" ? null : 80,
        }, TestTimeouts.Token()).DefaultTimeout();
        return result.Value.ImageBytes.ToArray();
    }
}

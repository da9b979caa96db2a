using System.Security.Cryptography;
using Pipeline.Imaging;
using Pipeline.Providers.Tests.TestSupport;

namespace Pipeline.Providers.Tests;

public sealed class ImageNormalizerTests
{
    private const string Field = "data[0].b64_json";

    [Fact]
    public async Task NormalizeAsync_PureBase64Png_VerifiedWithHeaderSizeAndHash()
    {
        var png = TestImages.Png(20, 10);

        var image = await Normalizer().NormalizeAsync(Convert.ToBase64String(png), Field, CancellationToken.None).DefaultTimeout();

        Assert.Equal((ImageFormat.Png, 20, 10, "image/png"), (image.Format, image.Width, image.Height, image.MimeType));
        Assert.Equal(png, image.Data);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(png)), image.Sha256);
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("webp")]
    public async Task NormalizeAsync_DataUri_FormatSniffedFromTheBytes(string format)
    {
        var bytes = format == "jpeg" ? TestImages.Jpeg(16, 8) : TestImages.WebP(16, 8);

        // The data URI claims PNG; the bytes decide.
        var image = await Normalizer().NormalizeAsync($"data:image/png;base64,{Convert.ToBase64String(bytes)}", Field, CancellationToken.None).DefaultTimeout();

        Assert.Equal(format == "jpeg" ? ImageFormat.Jpeg : ImageFormat.WebP, image.Format);
        Assert.Equal((16, 8), (image.Width, image.Height));
    }

    [Fact]
    public async Task NormalizeAsync_NotAnImage_MalformedNamingTheField()
    {
        var html = Convert.ToBase64String("<html><body>oops</body></html>"u8.ToArray());

        var error = await Assert.ThrowsAsync<ProviderException>(() => Normalizer().NormalizeAsync(html, Field, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(ProviderFailureKind.MalformedResponse, error.Kind);
        Assert.StartsWith("data[0].b64_json is not a PNG, JPEG or WebP image", error.Message);
    }

    [Fact]
    public async Task NormalizeAsync_TruncatedPng_MalformedSayingBroken()
    {
        var truncated = TestImages.Png()[..12];

        var error = await Assert.ThrowsAsync<ProviderException>(() => Normalizer().NormalizeAsync(Convert.ToBase64String(truncated), Field, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(ProviderFailureKind.MalformedResponse, error.Kind);
        Assert.StartsWith("data[0].b64_json is a broken image", error.Message);
    }

    [Fact]
    public void FromBytes_TruncatedPng_MalformedSayingWhereTheImageEnds()
    {
        var error = Assert.Throws<ProviderException>(() => Normalizer().FromBytes(TestImages.TruncatedPng(), Field));

        Assert.Equal(ProviderFailureKind.MalformedResponse, error.Kind);
        Assert.StartsWith("data[0].b64_json is not a complete image: PNG ends inside chunk IDAT, without IEND (", error.Message);
    }

    [Fact]
    public void FromBytes_JpegWithoutEoi_MalformedSayingNoEoi()
    {
        var error = Assert.Throws<ProviderException>(() => Normalizer().FromBytes(TestImages.JpegWithoutEoi(), "output[0].result"));

        Assert.Equal(ProviderFailureKind.MalformedResponse, error.Kind);
        Assert.Equal("output[0].result is not a complete image: JPEG has no EOI marker: it ends inside the entropy-coded data of scan 1", error.Message);
    }

    [Fact]
    public async Task NormalizeAsync_PngDeclaring60000Squared_MalformedNamingTheLimit()
    {
        var bomb = Convert.ToBase64String(TestImages.PngDeclaring(60_000, 60_000));

        var error = await Assert.ThrowsAsync<ProviderException>(() => Normalizer().NormalizeAsync(bomb, Field, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(ProviderFailureKind.MalformedResponse, error.Kind);
        Assert.Equal("data[0].b64_json is refused: PNG declares 60000x60000 pixels (3600 MP); the limit is 100 MP and 16384 per side", error.Message);
    }

    [Fact]
    public void FromBytes_ConfiguredDimensions_Applied()
    {
        var normalizer = Normalizer(new ImageDownloadOptions { Dimensions = new Pipeline.Imaging.ImageLimits { MaxSide = 64 } });

        var error = Assert.Throws<ProviderException>(() => normalizer.FromBytes(TestImages.WebP(100, 20), Field));

        Assert.Equal("data[0].b64_json is refused: WEBP declares 100x20 pixels (0 MP); the limit is 100 MP and 64 per side", error.Message);
        Assert.Equal((64, 20), (normalizer.FromBytes(TestImages.WebP(64, 20), Field).Width, 20));
    }

    [Fact]
    public async Task NormalizeAsync_DownloadedTruncatedPng_MalformedNamingTheUrlField()
    {
        await using var server = await ImageServer.StartAsync();

        var error = await Assert.ThrowsAsync<ProviderException>(() => Normalizer(AllowPrivate).NormalizeAsync(server.Url("/truncated.png"), "data[0].url", CancellationToken.None)).DefaultTimeout();

        Assert.Equal(ProviderFailureKind.MalformedResponse, error.Kind);
        Assert.StartsWith("data[0].url is not a complete image: PNG ends inside chunk IDAT", error.Message);
    }

    [Theory]
    [InlineData("not base64 at all!", "is not valid base64")]
    [InlineData("data:image/png,rawbytes", "not base64-encoded")]
    [InlineData("data:image/png;base64", "without a comma")]
    [InlineData("   ", "is empty")]
    public async Task NormalizeAsync_UnreadableSource_MalformedNamingTheField(string source, string expected)
    {
        var error = await Assert.ThrowsAsync<ProviderException>(() => Normalizer().NormalizeAsync(source, Field, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(ProviderFailureKind.MalformedResponse, error.Kind);
        Assert.Contains(Field, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task NormalizeAsync_InlineImageAboveTheCap_MalformedNamingTheCap()
    {
        var normalizer = Normalizer(new ImageDownloadOptions { MaxBytes = 4096 });
        var large = Convert.ToBase64String(new byte[8192]);

        var error = await Assert.ThrowsAsync<ProviderException>(() => normalizer.NormalizeAsync(large, Field, CancellationToken.None)).DefaultTimeout();

        Assert.Contains("more than the image cap of 4096 bytes", error.Message);
    }

    [Fact]
    public async Task NormalizeAsync_UrlWithPrivateNetworksAllowed_Downloaded()
    {
        await using var server = await ImageServer.StartAsync();

        var image = await Normalizer(AllowPrivate).NormalizeAsync(server.Url("/redirect"), "data[0].url", CancellationToken.None).DefaultTimeout();

        Assert.Equal(ImageServer.Png, image.Data);
        Assert.Equal(["/redirect", "/image.png"], server.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task NormalizeAsync_UrlOnLoopback_RefusedBeforeConnecting(string host)
    {
        await using var server = await ImageServer.StartAsync();
        var url = $"http://{host}:{server.Address.Port}/image.png";

        var error = await Assert.ThrowsAsync<ProviderException>(() => Normalizer().NormalizeAsync(url, "data[0].url", CancellationToken.None)).DefaultTimeout();

        Assert.Equal(ProviderFailureKind.MalformedResponse, error.Kind);
        Assert.Contains("data[0].url points at a refused address", error.Message);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("/big")]
    [InlineData("/big-chunked")]
    public async Task NormalizeAsync_DownloadAboveTheCap_MalformedNamingTheCap(string path)
    {
        await using var server = await ImageServer.StartAsync();
        var normalizer = Normalizer(AllowPrivate with { MaxBytes = 1024 * 1024 });

        var error = await Assert.ThrowsAsync<ProviderException>(() => normalizer.NormalizeAsync(server.Url(path), "data[0].url", CancellationToken.None)).DefaultTimeout();

        Assert.Equal(ProviderFailureKind.MalformedResponse, error.Kind);
        Assert.Contains("download cap of 1048576 bytes", error.Message);
        Assert.Contains("data[0].url", error.Message);
    }

    [Fact]
    public async Task NormalizeAsync_DownloadSlowerThanTheTimeout_TimeoutNamingTheField()
    {
        await using var server = await ImageServer.StartAsync();
        var normalizer = Normalizer(AllowPrivate with { Timeout = TimeSpan.FromMilliseconds(300) });

        var error = await Assert.ThrowsAsync<ProviderException>(() => normalizer.NormalizeAsync(server.Url("/slow"), "data[0].url", CancellationToken.None)).DefaultTimeout();

        Assert.Equal(ProviderFailureKind.Timeout, error.Kind);
        Assert.Contains("data[0].url", error.Message);
        Assert.Contains("0.3 s", error.Message);
    }

    [Fact]
    public async Task NormalizeAsync_CallerCancelsTheDownload_OperationCanceled()
    {
        await using var server = await ImageServer.StartAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Normalizer(AllowPrivate).NormalizeAsync(server.Url("/slow"), "data[0].url", cancel.Token)).DefaultTimeout();
    }

    [Fact]
    public async Task NormalizeAsync_DownloadAnswers404_Unavailable()
    {
        await using var server = await ImageServer.StartAsync();

        var error = await Assert.ThrowsAsync<ProviderException>(() => Normalizer(AllowPrivate).NormalizeAsync(server.Url("/missing"), "data[0].url", CancellationToken.None)).DefaultTimeout();

        Assert.Equal((ProviderFailureKind.Unavailable, 404), (error.Kind, error.HttpStatus));
    }

    [Fact]
    public async Task NormalizeAsync_DownloadIsNotAnImage_MalformedNamingTheField()
    {
        await using var server = await ImageServer.StartAsync();

        var error = await Assert.ThrowsAsync<ProviderException>(() => Normalizer(AllowPrivate).NormalizeAsync(server.Url("/text"), "data[0].url", CancellationToken.None)).DefaultTimeout();

        Assert.StartsWith("data[0].url is not a PNG, JPEG or WebP image", error.Message);
    }

    [Fact]
    public void ToFinalImageAndToPartialImage_FillBytesMimeSizeAndHash()
    {
        var normalizer = Normalizer();
        var image = normalizer.FromBytes(TestImages.Jpeg(12, 7), Field);

        var final = normalizer.ToFinalImage(image, 2);
        var partial = normalizer.ToPartialImage(image, 2, 1);

        Assert.Equal((2, "image/jpeg", 12, 7, image.Sha256), (final.ImageIndex, final.MimeType, final.Width, final.Height, final.Sha256));
        Assert.Equal(image.Data, final.Data.ToByteArray());
        Assert.Equal((2, 1, "image/jpeg"), (partial.ImageIndex, partial.PartialIndex, partial.MimeType));
        Assert.Equal(image.Data, partial.Data.ToByteArray());
    }

    [Fact]
    public void VerifiedImage_ToString_HoldsSizesAndHashNotBytes()
    {
        var image = Normalizer().FromBytes(TestImages.Png(), Field);

        Assert.Equal($"VerifiedImage {{ Bytes = {image.Data.Length}, Format = Png, Width = 8, Height = 6, Sha256 = {image.Sha256} }}", image.ToString());
    }

    private static readonly ImageDownloadOptions AllowPrivate = new() { AllowPrivateNetworks = true };

    private static ImageNormalizer Normalizer(ImageDownloadOptions? options = null)
    {
        options ??= new ImageDownloadOptions();
        return new ImageNormalizer(new HttpClient(ImageNormalizer.CreateDownloadHandler(options)) { Timeout = Timeout.InfiniteTimeSpan }, options);
    }
}

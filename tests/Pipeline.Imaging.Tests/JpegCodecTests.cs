namespace Pipeline.Imaging.Tests;

public class JpegCodecTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(17, 9)]
    [InlineData(1024, 1024)]
    [InlineData(1536, 1024)]
    public void Encode_AnySize_InspectorReadsBackDimensions(int width, int height)
    {
        var jpeg = JpegCodec.Encode(TestImages.Pattern(width, height, withAlpha: false));

        Assert.Equal(new ImageInfo(ImageFormat.Jpeg, width, height), ImageInspector.Inspect(jpeg));
        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);
    }

    [Fact]
    public void Encode_LowerQuality_ProducesSmallerFile()
    {
        var image = TestImages.Pattern(256, 256, withAlpha: false);

        var high = JpegCodec.Encode(image, 95);
        var low = JpegCodec.Encode(image, 30);

        Assert.True(low.Length < high.Length, $"q30 {low.Length} bytes vs q95 {high.Length} bytes");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Encode_QualityOutOfRange_Throws(int quality)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegCodec.Encode(new RgbaImage(8, 8), quality));
    }

    [Fact]
    public void Encode_EntropyData_HasNoUnstuffedMarkers()
    {
        var jpeg = JpegCodec.Encode(TestImages.Pattern(64, 48, withAlpha: false), 100);
        var sos = IndexOfMarker(jpeg, 0xDA);
        var scanStart = sos + 2 + ((jpeg[sos + 2] << 8) | jpeg[sos + 3]);

        for (var i = scanStart; i < jpeg.Length - 2; i++)
        {
            if (jpeg[i] == 0xFF)
            {
                Assert.Equal(0x00, jpeg[i + 1]);
                i++;
            }
        }
    }

    private static int IndexOfMarker(byte[] data, byte marker)
    {
        for (var i = 0; i < data.Length - 1; i++)
        {
            if (data[i] == 0xFF && data[i + 1] == marker)
            {
                return i;
            }
        }

        return -1;
    }
}

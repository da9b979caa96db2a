using Pipeline.Imaging.Internal;

namespace Pipeline.Imaging.Tests.Internal;

public class Crc32Tests
{
    [Fact]
    public void Compute_CheckString_MatchesStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void Append_InPieces_EqualsWhole()
    {
        var data = new byte[1000];
        new Random(7).NextBytes(data);

        var whole = Crc32.Compute(data);
        var pieces = Crc32.Append(Crc32.Append(Crc32.Compute(data.AsSpan(0, 3)), data.AsSpan(3, 500)), data.AsSpan(503));

        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void Compute_IendChunkType_MatchesPngConstant()
    {
        // Every PNG ends with IEND + AE 42 60 82.
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8));
    }
}

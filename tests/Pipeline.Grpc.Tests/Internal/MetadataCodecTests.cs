using Microsoft.AspNetCore.Http;
using Pipeline.Grpc.Internal;

namespace Pipeline.Grpc.Tests.Internal;

public sealed class MetadataCodecTests
{
    [Theory]
    [InlineData("AAEC/f7/")]
    [InlineData("AAEC/f7/ ")]
    public void DecodeBinary_NoPaddingNeeded_Decodes(string value)
    {
        Assert.Equal(new byte[] { 0, 1, 2, 253, 254, 255 }, MetadataCodec.DecodeBinary(value));
    }

    [Theory]
    [InlineData("AAE=")]
    [InlineData("AAE")]
    public void DecodeBinary_PaddedOrUnpadded_SameBytes(string value)
    {
        Assert.Equal(new byte[] { 0, 1 }, MetadataCodec.DecodeBinary(value));
    }

    [Fact]
    public void Encode_BinaryEntry_Base64WithoutPadding()
    {
        Assert.Equal("AAE", MetadataCodec.Encode(new Metadata.Entry("x-bin", [0, 1])));
    }

    [Fact]
    public void ReadHeaders_CommaJoinedBinaryValues_OneEntryEach()
    {
        var headers = new HeaderDictionary { ["x-data-bin"] = "AAE, AgM=,BA" };

        var metadata = MetadataCodec.ReadHeaders(headers);

        Assert.Equal([new byte[] { 0, 1 }, [2, 3], [4]], metadata.GetAll("x-data-bin").Select(e => e.ValueBytes));
    }

    [Fact]
    public void ReadHeaders_ReservedAndTransportHeaders_NotMetadata()
    {
        var headers = new HeaderDictionary
        {
            ["grpc-timeout"] = "1S",
            ["grpc-status"] = "0",
            ["content-type"] = "application/grpc",
            ["te"] = "trailers",
            ["x-custom"] = "kept",
        };

        var metadata = MetadataCodec.ReadHeaders(headers);

        Assert.Equal(["x-custom"], metadata.Select(e => e.Key));
    }

    [Fact]
    public void ReadHeaders_InvalidBase64_EntryDropped()
    {
        var headers = new HeaderDictionary { ["x-data-bin"] = "!!!!", ["x-ok-bin"] = "AAE" };

        var metadata = MetadataCodec.ReadHeaders(headers);

        Assert.Equal(["x-ok-bin"], metadata.Select(e => e.Key));
    }

    [Fact]
    public void WriteThenRead_TextAndBinary_RoundTrip()
    {
        var metadata = new Metadata().Add("x-text", "a value").Add("x-raw-bin", [0xff, 0x00, 0x10]).Add("x-raw-bin", [1]);
        var headers = new HeaderDictionary();

        MetadataCodec.WriteHeaders(metadata, headers);
        var read = MetadataCodec.ReadHeaders(headers);

        Assert.Equal("a value", read.GetValue("x-text"));
        Assert.Equal([new byte[] { 0xff, 0x00, 0x10 }, [1]], read.GetAll("x-raw-bin").Select(e => e.ValueBytes));
    }
}

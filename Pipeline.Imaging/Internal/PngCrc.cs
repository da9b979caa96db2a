using System.IO.Hashing;

namespace Pipeline.Imaging.Internal;

/// <summary>A PNG chunk's CRC-32 (IEEE), over its type and data, by System.IO.Hashing.</summary>
internal static class PngCrc
{
    public static uint Of(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        return crc.GetCurrentHashAsUInt32();
    }
}

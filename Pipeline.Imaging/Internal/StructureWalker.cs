using System.Buffers.Binary;
using System.IO.Hashing;

namespace Pipeline.Imaging.Internal;

/// <summary>
/// The container walks behind <see cref="ImageVerifier"/>: each returns null for a complete file or the precise reason.
/// They run after <see cref="HeaderReader"/> accepted the header, so the signature and the first chunk are known to be there.
/// </summary>
internal static class StructureWalker
{
    public static string? Png(ReadOnlySpan<byte> data)
    {
        var pos = HeaderReader.PngSignature.Length;
        string? previous = null;
        var sawImageData = false;
        while (true)
        {
            var after = previous is null ? "its signature" : $"chunk {previous}";
            if (pos == data.Length)
            {
                return $"PNG ends after {after} without IEND";
            }
            if (data.Length - pos < 12)
            {
                return $"PNG ends {data.Length - pos} bytes into the chunk after {after}, without IEND";
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            var type = data.Slice(pos + 4, 4);
            var name = Ascii(type);
            if (!IsChunkType(type))
            {
                return $"PNG chunk after {after} has an invalid type '{name}' (offset {pos})";
            }
            if (length > int.MaxValue)
            {
                return $"PNG chunk {name} declares {length} bytes; PNG allows at most {int.MaxValue}";
            }
            if (data.Length - pos - 12 < length)
            {
                return $"PNG ends inside chunk {name}, without IEND ({length} data bytes declared, {data.Length - pos - 12} present)";
            }
            var stored = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 8 + (int)length)..]);
            var computed = Crc32.HashToUInt32(data.Slice(pos + 4, 4 + (int)length));
            if (stored != computed)
            {
                return $"PNG chunk {name} at offset {pos} fails its CRC (stored {stored:X8}, computed {computed:X8})";
            }
            if (previous is null && length != 13)
            {
                return $"PNG IHDR has {length} data bytes; it must have 13";
            }
            if (previous is not null && name == "IHDR")
            {
                return $"PNG has a second IHDR at offset {pos}";
            }
            sawImageData |= name == "IDAT";
            pos += 12 + (int)length;
            if (name == "IEND")
            {
                if (!sawImageData)
                {
                    return "PNG reaches IEND without any IDAT chunk";
                }
                return pos == data.Length ? null : $"PNG has {data.Length - pos} bytes after IEND; IEND must be last";
            }
            previous = name;
        }
    }

    public static string? Jpeg(ReadOnlySpan<byte> data)
    {
        var pos = 2;
        var previous = "SOI";
        var sawFrame = false;
        var scans = 0;
        while (true)
        {
            if (pos >= data.Length)
            {
                return $"JPEG has no EOI marker: it ends after {previous}";
            }
            if (data[pos] != 0xFF)
            {
                return $"JPEG has 0x{data[pos]:X2} at offset {pos} after {previous}, where a marker belongs";
            }
            while (pos < data.Length && data[pos] == 0xFF)
            {
                pos++;
            }
            if (pos >= data.Length)
            {
                return $"JPEG has no EOI marker: it ends after {previous}";
            }
            var marker = data[pos++];
            var name = MarkerName(marker);
            switch (marker)
            {
                case 0xD9:
                    return scans > 0 ? null : "JPEG reaches EOI without any scan (SOS)";
                case 0xD8:
                    return $"JPEG has a second SOI at offset {pos - 2}";
                case 0x00:
                    return $"JPEG has a stuffed 0xFF00 at offset {pos - 2} outside scan data";
                case 0x01 or (>= 0xD0 and <= 0xD7):
                    previous = name;
                    continue;
            }
            if (data.Length - pos < 2)
            {
                return $"JPEG has no EOI marker: it ends inside the {name} segment header";
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2)
            {
                return $"JPEG segment {name} at offset {pos - 2} has an invalid length {length}";
            }
            if (data.Length - pos < length)
            {
                return $"JPEG has no EOI marker: it ends inside the {name} segment ({length} bytes declared, {data.Length - pos} present)";
            }
            pos += length;
            previous = name;
            sawFrame |= IsFrameHeader(marker);
            if (marker != 0xDA)
            {
                continue;
            }
            if (!sawFrame)
            {
                return "JPEG has a scan (SOS) before any frame header (SOF)";
            }
            scans++;
            if (SkipEntropyCodedData(data, ref pos) is false)
            {
                return $"JPEG has no EOI marker: it ends inside the entropy-coded data of scan {scans}";
            }
            previous = $"scan {scans}";
        }
    }

    public static string? WebP(ReadOnlySpan<byte> data)
    {
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) + 8L;
        if (declared > data.Length)
        {
            return $"WebP is truncated: its RIFF header declares {declared} bytes, {data.Length} present";
        }
        if (declared < data.Length)
        {
            return $"WebP has {data.Length - declared} bytes after its RIFF chunk ({declared} bytes declared)";
        }
        var pos = 12;
        var extended = false;
        var sawImage = false;
        while (pos < data.Length)
        {
            if (data.Length - pos < 8)
            {
                return $"WebP ends inside a chunk header at offset {pos}";
            }
            var fourcc = data.Slice(pos, 4);
            var name = Ascii(fourcc);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data[(pos + 4)..]);
            if (size > data.Length - pos - 8)
            {
                return $"WebP chunk '{name}' declares {size} bytes, {data.Length - pos - 8} present";
            }
            extended |= pos == 12 && fourcc.SequenceEqual("VP8X"u8);
            sawImage |= fourcc.SequenceEqual("VP8 "u8) || fourcc.SequenceEqual("VP8L"u8) || fourcc.SequenceEqual("ANMF"u8);
            // Chunks are padded to an even size; tolerate a missing pad byte on the last one.
            pos = (int)Math.Min(data.Length, pos + 8L + size + (size & 1));
        }
        return sawImage ? null : extended ? "WebP VP8X file has no image chunk (VP8, VP8L or ANMF)" : "WebP has no image chunk";
    }

    /// <summary>Moves <paramref name="pos"/> to the marker that ends the scan; false when the data ends first.</summary>
    private static bool SkipEntropyCodedData(ReadOnlySpan<byte> data, ref int pos)
    {
        while (true)
        {
            var next = data[pos..].IndexOf((byte)0xFF);
            if (next < 0)
            {
                return false;
            }
            pos += next;
            var end = pos + 1;
            while (end < data.Length && data[end] == 0xFF)
            {
                end++;
            }
            if (end >= data.Length)
            {
                return false;
            }
            if (data[end] == 0x00 || data[end] is >= 0xD0 and <= 0xD7)
            {
                pos = end + 1;
                continue;
            }
            pos = end - 1;
            return true;
        }
    }

    private static bool IsFrameHeader(byte marker) => marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;

    private static string MarkerName(byte marker) => marker switch
    {
        0xC4 => "DHT",
        0xCC => "DAC",
        0xDA => "SOS",
        0xDB => "DQT",
        0xDC => "DNL",
        0xDD => "DRI",
        0xFE => "COM",
        >= 0xD0 and <= 0xD7 => $"RST{marker - 0xD0}",
        >= 0xE0 and <= 0xEF => $"APP{marker - 0xE0}",
        _ when IsFrameHeader(marker) => $"SOF{marker - 0xC0}",
        _ => $"marker 0xFF{marker:X2}",
    };

    private static bool IsChunkType(ReadOnlySpan<byte> type) =>
        char.IsAsciiLetter((char)type[0]) && char.IsAsciiLetter((char)type[1]) && char.IsAsciiLetter((char)type[2]) && char.IsAsciiLetter((char)type[3]);

    private static string Ascii(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = bytes[i] is >= 0x20 and < 0x7F ? (char)bytes[i] : '?';
        }
        return new string(chars);
    }
}

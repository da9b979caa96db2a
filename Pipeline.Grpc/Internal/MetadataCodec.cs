using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using System.Net.Http.Headers;

namespace Pipeline.Grpc.Internal;

/// <summary>Moves metadata between <see cref="Metadata"/> and HTTP headers (base64 for <c>-bin</c>: written unpadded, read either way).</summary>
internal static class MetadataCodec
{
    private static readonly HashSet<string> s_notMetadata = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-type", "te", "host", "content-length", "date", "server", "connection", "transfer-encoding",
        "accept-encoding", "content-encoding", "keep-alive", "upgrade", "proxy-connection",
    };

    public static bool IsMetadataHeader(string name) =>
        name.Length > 0 && name[0] != ':' && !s_notMetadata.Contains(name)
        && !name.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase)
        && name.All(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.');

    public static Metadata ReadHeaders(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers)
        {
            if (IsMetadataHeader(name))
            {
                AddValues(metadata, name, values);
            }
        }
        return metadata;
    }

    public static Metadata ReadHeaders(HttpHeaders headers, HttpHeaders? contentHeaders = null)
    {
        var metadata = new Metadata();
        foreach (var source in contentHeaders is null ? new[] { headers } : [headers, contentHeaders])
        {
            foreach (var (name, values) in source.NonValidated)
            {
                if (IsMetadataHeader(name))
                {
                    foreach (var value in values)
                    {
                        AddValues(metadata, name, value);
                    }
                }
            }
        }
        return metadata;
    }

    public static void WriteHeaders(Metadata metadata, IHeaderDictionary headers)
    {
        foreach (var entry in metadata)
        {
            headers.Append(entry.Key, Encode(entry));
        }
    }

    public static void WriteHeaders(Metadata metadata, HttpHeaders headers)
    {
        foreach (var entry in metadata)
        {
            headers.TryAddWithoutValidation(entry.Key, Encode(entry));
        }
    }

    public static string Encode(Metadata.Entry entry) =>
        entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes).TrimEnd('=') : entry.Value;

    public static byte[] DecodeBinary(string value)
    {
        var trimmed = value.Trim();
        var padding = (4 - trimmed.Length % 4) % 4;
        return Convert.FromBase64String(padding == 0 ? trimmed : trimmed + new string('=', padding));
    }

    private static void AddValues(Metadata metadata, string name, StringValues values)
    {
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }
            if (Metadata.Entry.IsBinaryKey(name))
            {
                foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (TryDecodeBinary(part, out var bytes))
                    {
                        metadata.Add(name, bytes);
                    }
                }
            }
            else if (IsPrintable(value))
            {
                metadata.Add(name, value);
            }
        }
    }

    private static bool TryDecodeBinary(string value, out byte[] bytes)
    {
        try
        {
            bytes = DecodeBinary(value);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    private static bool IsPrintable(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }
        return true;
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Pipeline.Grpc.Tests.Infrastructure;

/// <summary>
/// gRPC by hand over HttpClient, independent of the wire layer under test: sends exactly the bytes and headers a
/// test chooses and returns the raw response, its frames and its trailers.
/// </summary>
public static class RawGrpcClient
{
    private static readonly HttpClient s_client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public sealed record Response(HttpResponseMessage Message, IReadOnlyList<byte[]> Frames, HttpResponseHeaders Trailers)
    {
        public string? Header(string name) => Message.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

        public string? Trailer(string name) => Trailers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
    }

    /// <summary>A length-prefixed frame: <paramref name="flag"/>, big-endian length, payload.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, byte flag = 0)
    {
        var bytes = new byte[5 + payload.Length];
        bytes[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(bytes.AsSpan(5));
        return bytes;
    }

    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    public static async Task<Response> SendAsync(
        Uri address, string path, byte[] body, string contentType = "application/grpc", Version? version = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        version ??= HttpVersion.Version20;
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await s_client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var content = await response.Content.ReadAsByteArrayAsync();
        return new Response(response, ParseFrames(content), response.TrailingHeaders);
    }

    private static List<byte[]> ParseFrames(byte[] content)
    {
        var frames = new List<byte[]>();
        var offset = 0;
        while (offset + 5 <= content.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(offset + 1));
            frames.Add(content.AsSpan(offset + 5, length).ToArray());
            offset += 5 + length;
        }
        Assert.Equal(content.Length, offset);
        return frames;
    }
}

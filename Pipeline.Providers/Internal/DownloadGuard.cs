using System.Net;
using System.Net.Sockets;

namespace Pipeline.Providers.Internal;

/// <summary>
/// Refuses connections to loopback, private, link-local and other non-public addresses. The check runs in the
/// handler's ConnectCallback on the addresses DNS returned, so neither a host name resolving to 127.0.0.1 nor a redirect
/// to an internal host gets through.
/// </summary>
internal static class DownloadGuard
{
    public static SocketsHttpHandler CreateHandler(ImageDownloadOptions options) => new()
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 5,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, options.AllowPrivateNetworks, ct),
    };

    /// <summary>Whether <paramref name="address"/> is loopback, private (RFC 1918, ULA), link-local, CGNAT, unspecified or multicast.</summary>
    public static bool IsNonPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.Broadcast) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var first = address.GetAddressBytes()[0];
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (first & 0xFE) == 0xFC;
        }
        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 or 10 or 127 => true,
            100 => b[1] is >= 64 and <= 127,
            169 => b[1] == 254,
            172 => b[1] is >= 16 and <= 31,
            192 => b[1] == 168 || (b[1] == 0 && b[2] is 0 or 2),
            198 => b[1] is 18 or 19,
            >= 224 => true,
            _ => false,
        };
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        var allowed = allowPrivate ? addresses : [.. addresses.Where(a => !IsNonPublic(a))];
        if (allowed.Length == 0)
        {
            throw new PrivateAddressException(endpoint.Host, addresses);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A download target resolved only to non-public addresses.</summary>
internal sealed class PrivateAddressException(string host, IReadOnlyList<IPAddress> addresses)
    : IOException($"'{host}' resolves to non-public address(es) {string.Join(", ", addresses)}; downloads from loopback, private and link-local networks are refused")
{
    public string Host { get; } = host;
}

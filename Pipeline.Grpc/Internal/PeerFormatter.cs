using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Pipeline.Grpc.Internal;

internal static class PeerFormatter
{
    public static string Format(ConnectionInfo connection) => connection.RemoteIpAddress switch
    {
        null => "unknown",
        { AddressFamily: AddressFamily.InterNetworkV6 } ip => $"ipv6:[{ip}]:{connection.RemotePort}",
        var ip => $"ipv4:{ip}:{connection.RemotePort}",
    };
}

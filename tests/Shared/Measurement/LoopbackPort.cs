using System.Net;
using System.Net.Sockets;

namespace Pipeline.Tests.Measurement;

/// <summary>Free TCP ports on the loopback interface, for the processes a fleet or benchmark starts.</summary>
public static class LoopbackPort
{
    /// <summary>A port nothing listens on right now (the OS's pick; free until somebody else takes it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Sockets;

namespace AppHost.Hosting.Internal;

/// <summary>Gives every endpoint a port: its fixed one, or a free loopback port never handed out twice.</summary>
internal sealed class PortAllocator
{
    private readonly HashSet<int> _used = [];

    /// <summary>Allocates ports for all endpoints; fixed ports are kept unless <paramref name="randomizeAll"/>.</summary>
    public void Allocate(IEnumerable<ProjectResource> resources, bool randomizeAll)
    {
        var endpoints = resources.SelectMany(r => r.Endpoints).ToList();
        foreach (var endpoint in endpoints.Where(e => e.Port is not null && !randomizeAll))
        {
            if (!_used.Add(endpoint.Port!.Value))
            {
                throw new InvalidOperationException($"Port {endpoint.Port} is declared by two endpoints.");
            }
            endpoint.AllocatedPort = endpoint.Port;
        }
        foreach (var endpoint in endpoints.Where(e => e.Port is null || randomizeAll))
        {
            endpoint.AllocatedPort = NextFreePort();
        }
    }

    /// <summary>A loopback port the OS reports free and that this allocator has not given out.</summary>
    public int NextFreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (_used.Add(port))
            {
                return port;
            }
        }
    }
}

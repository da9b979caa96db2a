using System.Net;
using System.Net.Sockets;
using AppHost.Hosting;
using AppHost.Hosting.Internal;

namespace AppHost.Tests.Hosting.Internal;

public sealed class PortAllocatorTests
{
    [Fact]
    public void Allocate_FreeEndpoints_GetsDistinctBindableLoopbackPorts()
    {
        var resources = Enumerable.Range(0, 10).Select(i => Resource($"r{i}", ("http", null), ("grpc", null))).ToList();

        new PortAllocator().Allocate(resources, randomizeAll: false);

        var ports = resources.SelectMany(r => r.Endpoints).Select(e => e.AllocatedPort!.Value).ToList();
        Assert.Equal(20, ports.Distinct().Count());
        foreach (var port in ports)
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();   // throws when the port is taken
        }
    }

    [Fact]
    public void Allocate_FixedPort_KeptAndNotHandedToOthers()
    {
        var gateway = Resource("gateway", ("http", 8080), ("grpc", 8081));
        var router = Resource("router", ("http", null));

        new PortAllocator().Allocate([gateway, router], randomizeAll: false);

        Assert.Equal(8080, gateway.GetEndpointAnnotation("http").AllocatedPort);
        Assert.Equal(8081, gateway.GetEndpointAnnotation("grpc").AllocatedPort);
        Assert.Equal("http://127.0.0.1:8080", gateway.GetEndpointAnnotation("http").Url);
        Assert.NotNull(router.GetEndpointAnnotation("http").AllocatedPort);
        Assert.DoesNotContain(router.GetEndpointAnnotation("http").AllocatedPort, new int?[] { 8080, 8081 });
    }

    [Fact]
    public void Allocate_RandomizeAll_ReplacesFixedPorts()
    {
        var gateway = Resource("gateway", ("http", 8080), ("grpc", 8081));

        new PortAllocator().Allocate([gateway], randomizeAll: true);

        Assert.NotEqual(8080, gateway.GetEndpointAnnotation("http").AllocatedPort);
        Assert.NotEqual(8081, gateway.GetEndpointAnnotation("grpc").AllocatedPort);
        Assert.NotEqual(gateway.GetEndpointAnnotation("http").AllocatedPort, gateway.GetEndpointAnnotation("grpc").AllocatedPort);
    }

    [Fact]
    public void Allocate_SameFixedPortTwice_Throws()
    {
        var a = Resource("a", ("http", 9000));
        var b = Resource("b", ("http", 9000));

        var error = Assert.Throws<InvalidOperationException>(() => new PortAllocator().Allocate([a, b], randomizeAll: false));
        Assert.Contains("9000", error.Message);
    }

    [Fact]
    public void Url_BeforeAllocation_ThrowsNamingTheEndpoint()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new EndpointAnnotation("grpc").Url);
        Assert.Contains("grpc", error.Message);
    }

    private static ProjectResource Resource(string name, params (string Name, int? Port)[] endpoints)
    {
        var resource = new ProjectResource(name, name);
        resource.Endpoints.AddRange(endpoints.Select(e => new EndpointAnnotation(e.Name) { Port = e.Port }));
        return resource;
    }
}

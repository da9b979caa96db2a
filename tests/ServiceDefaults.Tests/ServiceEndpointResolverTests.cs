using Microsoft.Extensions.Configuration;
using Pipeline.ServiceDefaults;

namespace ServiceDefaults.Tests;

public sealed class ServiceEndpointResolverTests
{
    [Fact]
    public void Resolve_AspireEnvironmentVariableForm_ReturnsAddress()
    {
        var resolver = Resolver(new() { ["services:storage:grpc:0"] = "http://127.0.0.1:5311" });

        Assert.Equal(new Uri("http://127.0.0.1:5311"), resolver.Resolve("storage", "grpc"));
    }

    [Fact]
    public void Resolve_SeveralAddresses_ReturnsTheFirst()
    {
        var resolver = Resolver(new()
        {
            ["services:router:http:0"] = "http://127.0.0.1:6000",
            ["services:router:http:1"] = "http://127.0.0.1:6001",
        });

        Assert.Equal(6000, resolver.Resolve("router").Port);
    }

    [Fact]
    public void Resolve_FromDoubleUnderscoreEnvironmentVariables_ReadsTheSameKeys()
    {
        var name = $"services__probe{Environment.ProcessId}__grpc__0";
        Environment.SetEnvironmentVariable(name, "http://127.0.0.1:7001");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();

            Assert.Equal(7001, new ServiceEndpointResolver(configuration).Resolve($"probe{Environment.ProcessId}", "grpc").Port);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Resolve_MissingService_ThrowsNamingTheVariableToSet()
    {
        var resolver = Resolver([]);

        var ex = Assert.Throws<InvalidOperationException>(() => resolver.Resolve("storage", "grpc"));

        Assert.Contains("services__storage__grpc__0", ex.Message);
    }

    [Fact]
    public void Get_SameService_ReturnsOneSharedChannel()
    {
        using var factory = new GrpcChannelFactory(Resolver(new() { ["services:storage:grpc:0"] = "http://127.0.0.1:5311" }));

        Assert.Same(factory.Get("storage"), factory.Get("storage"));
        Assert.Equal(5311, factory.Get("storage").Address.Port);
    }

    private static ServiceEndpointResolver Resolver(Dictionary<string, string?> values) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
}

using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;
using Pipeline.Grpc.Reflection;
using Pipeline.Grpc.Tests.Infrastructure;

namespace Pipeline.Grpc.Tests.Reflection;

/// <summary>Reflection is a bidi call; our client has no bidi call, so these tests send the request stream by hand.</summary>
public sealed class GrpcReflectionServiceTests : IAsyncLifetime
{
    private GrpcTestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await GrpcTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<List<ServerReflectionResponse>> AskAsync(params ServerReflectionRequest[] requests)
    {
        var body = requests.SelectMany(RawGrpcClient.Frame).ToArray();
        var response = await RawGrpcClient.SendAsync(_server.Address, GrpcReflectionService.InfoMethod.FullName, body).DefaultTimeout();
        Assert.Equal("0", response.Trailer("grpc-status"));
        return [.. response.Frames.Select(ServerReflectionResponse.Parser.ParseFrom)];
    }

    [Fact]
    public async Task Info_ListServices_EveryMappedService()
    {
        var responses = await AskAsync(new ServerReflectionRequest { ListServices = "" }).DefaultTimeout();

        var names = Assert.Single(responses).ListServicesResponse.Service.Select(s => s.Name);
        Assert.Equal(["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "interop.v1.Interop"], names);
    }

    [Fact]
    public async Task Info_FileContainingSymbol_FileWithMethodsAndDependencies()
    {
        var responses = await AskAsync(
            new ServerReflectionRequest { FileContainingSymbol = "interop.v1.Interop" },
            new ServerReflectionRequest { FileContainingSymbol = "interop.v1.StreamResponse" },
            new ServerReflectionRequest { FileContainingSymbol = "no.such.Symbol" }).DefaultTimeout();

        Assert.Equal(3, responses.Count);
        var file = FileDescriptorProto.Parser.ParseFrom(responses[0].FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("interop/v1/interop.proto", file.Name);
        Assert.Contains(file.Service.Single(s => s.Name == "Interop").Method, m => m.Name == "Stream" && m.ServerStreaming);
        Assert.Equal(file.ToByteString(), responses[1].FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal((int)StatusCode.NotFound, responses[2].ErrorResponse.ErrorCode);
    }

    [Fact]
    public async Task Info_FileByFilename_HealthProto()
    {
        var responses = await AskAsync(new ServerReflectionRequest { FileByFilename = "grpc/health/v1/health.proto" }).DefaultTimeout();

        var file = FileDescriptorProto.Parser.ParseFrom(Assert.Single(responses).FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("grpc.health.v1", file.Package);
    }
}

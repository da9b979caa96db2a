using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;

namespace Pipeline.Grpc.Reflection;

/// <summary>
/// <c>grpc.reflection.v1.ServerReflection</c>: lists the mapped services and serves the file descriptors that define
/// them (with their dependencies), so generic clients can call any method without the <c>.proto</c> files.
/// </summary>
public sealed class GrpcReflectionService(GrpcServiceRegistry registry)
{
    private static readonly ServiceDescriptor s_descriptor = ReflectionReflection.Descriptor.Services[0];

    /// <summary><c>/grpc.reflection.v1.ServerReflection/ServerReflectionInfo</c>.</summary>
    public static readonly Method<ServerReflectionRequest, ServerReflectionResponse> InfoMethod =
        Method<ServerReflectionRequest, ServerReflectionResponse>.From(s_descriptor, "ServerReflectionInfo");

    /// <summary>The service definition to map.</summary>
    public static GrpcServiceDefinition<GrpcReflectionService> Definition => new GrpcServiceDefinition<GrpcReflectionService>(s_descriptor)
        .DuplexStreaming(InfoMethod, (service, requests, responses, context) => service.InfoAsync(requests, responses, context));

    private async Task InfoAsync(IAsyncEnumerable<ServerReflectionRequest> requests, IServerStreamWriter<ServerReflectionResponse> responses, ServerCallContext context)
    {
        await foreach (var request in requests.WithCancellation(context.CancellationToken))
        {
            await responses.WriteAsync(Answer(request), context.CancellationToken);
        }
    }

    internal ServerReflectionResponse Answer(ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                list.Service.AddRange(registry.ServiceNames.Select(name => new ServiceResponse { Name = name }));
                response.ListServicesResponse = list;
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFile(response, AllFiles().FirstOrDefault(f => f.Name == request.FileByFilename), $"File '{request.FileByFilename}' not found.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFile(response, AllFiles().FirstOrDefault(f => Defines(f, request.FileContainingSymbol)), $"Symbol '{request.FileContainingSymbol}' not found.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                response.AllExtensionNumbersResponse = new ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType };
                break;
            default:
                response.ErrorResponse = new ErrorResponse { ErrorCode = (int)StatusCode.Unimplemented, ErrorMessage = $"{request.MessageRequestCase} is not supported." };
                break;
        }
        return response;
    }

    private static void SetFile(ServerReflectionResponse response, FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            response.ErrorResponse = new ErrorResponse { ErrorCode = (int)StatusCode.NotFound, ErrorMessage = notFound };
            return;
        }
        var files = new FileDescriptorResponse();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        AddWithDependencies(file, files, seen);
        response.FileDescriptorResponse = files;
    }

    private static void AddWithDependencies(FileDescriptor file, FileDescriptorResponse files, HashSet<string> seen)
    {
        if (!seen.Add(file.Name))
        {
            return;
        }
        files.FileDescriptorProto.Add(file.SerializedData);
        foreach (var dependency in file.Dependencies)
        {
            AddWithDependencies(dependency, files, seen);
        }
    }

    private IEnumerable<FileDescriptor> AllFiles()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<FileDescriptor>(registry.Services.Select(s => s.File));
        while (pending.TryPop(out var file))
        {
            if (seen.Add(file.Name))
            {
                yield return file;
                foreach (var dependency in file.Dependencies)
                {
                    pending.Push(dependency);
                }
            }
        }
    }

    private static bool Defines(FileDescriptor file, string symbol) =>
        file.Services.Any(s => s.FullName == symbol || s.Methods.Any(m => m.FullName == symbol))
        || file.EnumTypes.Any(e => e.FullName == symbol)
        || file.MessageTypes.Any(m => Defines(m, symbol));

    private static bool Defines(MessageDescriptor message, string symbol) =>
        message.FullName == symbol
        || message.EnumTypes.Any(e => e.FullName == symbol)
        || message.NestedTypes.Any(n => Defines(n, symbol));

}

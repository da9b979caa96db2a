using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Pipeline.Grpc;

/// <summary>The four gRPC call shapes.</summary>
public enum MethodType
{
    Unary,
    ClientStreaming,
    ServerStreaming,
    DuplexStreaming,
}

/// <summary>
/// A gRPC method: its path and how to read and write its messages. Built from the protobuf descriptor, so the
/// call shape and message types are checked against the <c>.proto</c> when the method is created.
/// </summary>
public sealed class Method<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private Method(MethodType type, string serviceName, string name)
    {
        Type = type;
        ServiceName = serviceName;
        Name = name;
        FullName = $"/{serviceName}/{name}";
    }

    /// <summary>Unary, server-streaming, client-streaming or duplex.</summary>
    public MethodType Type { get; }

    /// <summary>Fully qualified service name, e.g. <c>storage.v1.Storage</c>.</summary>
    public string ServiceName { get; }

    /// <summary>Method name, e.g. <c>PutImage</c>.</summary>
    public string Name { get; }

    /// <summary>The HTTP/2 <c>:path</c>, e.g. <c>/storage.v1.Storage/PutImage</c>.</summary>
    public string FullName { get; }

    /// <summary>Parses request messages.</summary>
    public MessageParser<TRequest> RequestParser { get; } = new(() => new TRequest());

    /// <summary>Parses response messages.</summary>
    public MessageParser<TResponse> ResponseParser { get; } = new(() => new TResponse());

    /// <summary>
    /// The method <paramref name="name"/> of <paramref name="service"/>; throws when it does not exist or its
    /// message types differ from <typeparamref name="TRequest"/> / <typeparamref name="TResponse"/>.
    /// </summary>
    public static Method<TRequest, TResponse> From(ServiceDescriptor service, string name)
    {
        var descriptor = service.FindMethodByName(name)
            ?? throw new ArgumentException($"Service '{service.FullName}' has no method '{name}'.", nameof(name));
        var requestDescriptor = new TRequest().Descriptor;
        var responseDescriptor = new TResponse().Descriptor;
        if (descriptor.InputType.FullName != requestDescriptor.FullName || descriptor.OutputType.FullName != responseDescriptor.FullName)
        {
            throw new ArgumentException(
                $"Method '{service.FullName}/{name}' takes {descriptor.InputType.FullName} and returns {descriptor.OutputType.FullName}, " +
                $"not {requestDescriptor.FullName} / {responseDescriptor.FullName}.", nameof(name));
        }
        var type = (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            (true, true) => MethodType.DuplexStreaming,
        };
        return new Method<TRequest, TResponse>(type, service.FullName, name);
    }

    public override string ToString() => FullName;
}

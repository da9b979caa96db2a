using Google.Protobuf;
using Google.Protobuf.Reflection;
using Pipeline.Grpc.Internal;

namespace Pipeline.Grpc;

/// <summary>
/// Binds the methods of one protobuf service to handlers on <typeparamref name="TService"/>. Map it with
/// <see cref="GrpcEndpointRouteBuilderExtensions.MapGrpcService{TService}"/>. Methods left unbound answer UNIMPLEMENTED.
/// </summary>
public sealed class GrpcServiceDefinition<TService> where TService : class
{
    private readonly List<IServerMethodBinding> _bindings = [];

    public GrpcServiceDefinition(ServiceDescriptor descriptor) => Descriptor = descriptor;

    /// <summary>The protobuf service.</summary>
    public ServiceDescriptor Descriptor { get; }

    internal IReadOnlyList<IServerMethodBinding> Bindings => _bindings;

    /// <summary>Binds a unary method.</summary>
    public GrpcServiceDefinition<TService> Unary<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TService, TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
        => Add(method, MethodType.Unary, new UnaryBinding<TService, TRequest, TResponse>(method, handler));

    /// <summary>Binds a server-streaming method.</summary>
    public GrpcServiceDefinition<TService> ServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TService, TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
        => Add(method, MethodType.ServerStreaming, new ServerStreamingBinding<TService, TRequest, TResponse>(method, handler));

    /// <summary>Binds a client-streaming method.</summary>
    public GrpcServiceDefinition<TService> ClientStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TService, TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
        => Add(method, MethodType.ClientStreaming, new ClientStreamingBinding<TService, TRequest, TResponse>(method, handler));

    /// <summary>Binds a bidirectional method.</summary>
    public GrpcServiceDefinition<TService> DuplexStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TService, TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
        => Add(method, MethodType.DuplexStreaming, new DuplexStreamingBinding<TService, TRequest, TResponse>(method, handler));

    private GrpcServiceDefinition<TService> Add<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodType expected, IServerMethodBinding binding)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        if (method.ServiceName != Descriptor.FullName)
        {
            throw new ArgumentException($"Method {method} does not belong to service {Descriptor.FullName}.", nameof(method));
        }
        if (method.Type != expected)
        {
            throw new ArgumentException($"Method {method} is {method.Type}, not {expected}.", nameof(method));
        }
        if (_bindings.Any(b => b.Path == method.FullName))
        {
            throw new ArgumentException($"Method {method} is bound twice.", nameof(method));
        }
        _bindings.Add(binding);
        return this;
    }
}

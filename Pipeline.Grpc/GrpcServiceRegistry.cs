using Google.Protobuf.Reflection;

namespace Pipeline.Grpc;

/// <summary>The gRPC services an application has mapped: what health checks and reflection report.</summary>
public sealed class GrpcServiceRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServiceDescriptor> _services = new(StringComparer.Ordinal);

    /// <summary>Fully qualified names of the mapped services, sorted.</summary>
    public IReadOnlyList<string> ServiceNames
    {
        get
        {
            lock (_lock)
            {
                return [.. _services.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Descriptors of the mapped services.</summary>
    public IReadOnlyList<ServiceDescriptor> Services
    {
        get
        {
            lock (_lock)
            {
                return [.. _services.Values];
            }
        }
    }

    internal bool UnimplementedMapped { get; set; }

    /// <summary>True when a service with this full name is mapped.</summary>
    public bool Contains(string serviceName)
    {
        lock (_lock)
        {
            return _services.ContainsKey(serviceName);
        }
    }

    internal void Add(ServiceDescriptor descriptor)
    {
        lock (_lock)
        {
            if (!_services.TryAdd(descriptor.FullName, descriptor))
            {
                throw new InvalidOperationException($"gRPC service {descriptor.FullName} is mapped twice.");
            }
        }
    }
}

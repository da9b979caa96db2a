using System.Collections.Concurrent;
using Pipeline.Grpc;

namespace Pipeline.ServiceDefaults;

/// <summary>One long-lived <see cref="GrpcChannel"/> per referenced service, resolved through service discovery (endpoint "grpc").</summary>
public sealed class GrpcChannelFactory(ServiceEndpointResolver resolver) : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);

    /// <summary>
    /// The channel to <paramref name="service"/>. Messages up to 64 MiB both ways: internal calls carry images.
    /// </summary>
    public GrpcChannel Get(string service) => _channels.GetOrAdd(service, name =>
        GrpcChannel.ForAddress(resolver.Resolve(name, "grpc"), new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            MaxSendMessageSize = 64 * 1024 * 1024,
        }));

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.ServiceDefaults.Grpc;
using Pipeline.ServiceDefaults.Http;
using Pipeline.ServiceDefaults.Security;

namespace Microsoft.Extensions.Hosting;

/// <summary>Typed gRPC clients to other services of the fleet, addressed by service discovery.</summary>
public static class GrpcClientExtensions
{
    /// <summary>HTTP/2 receive window of one call's response: 8 MiB, so an image-sized frame flows without waiting for window updates.</summary>
    public const int StreamWindowBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Registers <typeparamref name="TClient"/> for the endpoint named <c>grpc</c> of <paramref name="service"/>
    /// (<c>http://_grpc.{service}</c>, resolved from <c>services__{service}__grpc__0</c>), with messages up to
    /// <paramref name="maxMessageBytes"/> both ways. A call to a service with no configured address fails as
    /// UNAVAILABLE naming the key to set. Every call carries the fleet's internal secret when <c>Pipeline:InternalSecret</c>
    /// is set (header <c>x-pipeline-internal</c>). <paramref name="name"/> names the client when one type talks to
    /// several services (resolve it with <c>GrpcClientFactory.CreateClient&lt;TClient&gt;(name)</c>). Responses get an HTTP/2
    /// receive window of <see cref="StreamWindowBytes"/> from the start: with .NET's 64 KiB, a 600 kB partial frame waited
    /// for about ten window updates at every hop. Calls go round <c>Pipeline:ConnectionsPerService</c> connections
    /// (<see cref="ConnectionSpread"/>), so replicas behind a connection-balancing proxy share them.
    /// </summary>
    public static IHttpClientBuilder AddServiceGrpcClient<TClient>(this IServiceCollection services, string service, int maxMessageBytes, string? name = null)
        where TClient : class =>
        services.AddServiceGrpcClient<TClient>(_ => service, maxMessageBytes, name);

    /// <summary>As above, with the service's name read from the container (e.g. from options) when the client is first made.</summary>
    public static IHttpClientBuilder AddServiceGrpcClient<TClient>(this IServiceCollection services, Func<IServiceProvider, string> service, int maxMessageBytes, string? name = null)
        where TClient : class
    {
        void Configure(IServiceProvider sp, Grpc.Net.ClientFactory.GrpcClientFactoryOptions o) => o.Address = new Uri($"http://_grpc.{service(sp)}");
        var builder = name is null ? services.AddGrpcClient<TClient>(Configure) : services.AddGrpcClient<TClient>(name, Configure);
        return builder
            .AddInterceptor(sp => new ServiceAddressInterceptor(sp.GetRequiredService<IConfiguration>(), service(sp)))
            .ConfigurePrimaryHttpMessageHandler(sp => PrimaryHandler(ConnectionSpread.From(sp.GetRequiredService<IConfiguration>())))
            .AddHttpMessageHandler(sp => new InternalSecretHandler(InternalSecret.From(sp.GetRequiredService<IConfiguration>())))
            .ConfigureChannel(channel =>
            {
                channel.MaxReceiveMessageSize = maxMessageBytes;
                channel.MaxSendMessageSize = maxMessageBytes;
            });
    }

    /// <summary>One connection pool, or <paramref name="connections"/> of them taken in turn (<see cref="ConnectionSpread"/>).</summary>
    private static HttpMessageHandler PrimaryHandler(int connections) => connections == 1
        ? new SocketsHttpHandler { InitialHttp2StreamWindowSize = StreamWindowBytes }
        : new ConnectionSpreadingHandler(connections, () => new SocketsHttpHandler { InitialHttp2StreamWindowSize = StreamWindowBytes });
}

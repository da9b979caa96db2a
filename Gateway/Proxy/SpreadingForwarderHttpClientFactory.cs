using Pipeline.ServiceDefaults.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy;

/// <summary>
/// YARP's clients, each spread over <c>Pipeline:ConnectionsPerService</c> connection pools (<see cref="ConnectionSpread"/>):
/// forwarded gRPC calls share one HTTP/2 connection per pool, so with one pool every call would reach the same replica.
/// </summary>
internal sealed class SpreadingForwarderHttpClientFactory(int connections) : IForwarderHttpClientFactory
{
    private readonly ForwarderHttpClientFactory _yarp = new();

    public HttpMessageInvoker CreateClient(ForwarderHttpClientContext context)
    {
        if (connections == 1 || (context.OldClient is not null && context.NewConfig == context.OldConfig))
        {
            return _yarp.CreateClient(context);
        }
        var fresh = new ForwarderHttpClientContext { ClusterId = context.ClusterId, NewConfig = context.NewConfig, NewMetadata = context.NewMetadata };
        var pools = Enumerable.Range(0, connections).Select(_ => _yarp.CreateClient(fresh)).ToList();
        return new HttpMessageInvoker(new ConnectionSpreadingHandler(pools), disposeHandler: true);
    }
}

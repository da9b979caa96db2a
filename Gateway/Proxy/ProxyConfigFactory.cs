using System.Net;
using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.RateLimiting;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy;

/// <summary>
/// The YARP routes and clusters, built in memory from the backends service discovery resolved (never fixed ports).
/// Every route requires an API key; the key itself is removed before forwarding, so no backend ever sees it.
/// </summary>
public static class ProxyConfigFactory
{
    public const string RouterGrpcCluster = "router-grpc";
    public const string RouterHttpCluster = "router-http";
    public const string StorageHttpCluster = "storage-http";

    /// <summary>Images are per-key data once behind the gateway: shared caches must not keep them (storage says "public").</summary>
    public const string ImageCacheControl = "private, max-age=31536000, immutable";

    public static InMemoryConfigProvider Create(GatewayOptions options) => new(Routes(), Clusters(options));

    public static IReadOnlyList<RouteConfig> Routes() =>
    [
        // gRPC: the public ImageGeneration service, forwarded over h2c; Generate and Regenerate are streams and count as generations.
        Route("imagegen-generate", "/imagegen.v1.ImageGeneration/Generate", RouterGrpcCluster, generation: true),
        Route("imagegen-regenerate", "/imagegen.v1.ImageGeneration/Regenerate", RouterGrpcCluster, generation: true),
        Route("imagegen", "/imagegen.v1.ImageGeneration/{**method}", RouterGrpcCluster, order: 1),
        // The router's HTTP API (the web page's backend).
        Route("api-generate", "/api/generate", RouterHttpCluster, generation: true),
        Route("api-regenerate", "/api/runs/{runId}/regenerate", RouterHttpCluster, generation: true),
        Route("api", "/api/{**path}", RouterHttpCluster, order: 1),
        // Image bytes from storage.
        Route("images", "/images/{imageId}", StorageHttpCluster) with
        {
            Match = new RouteMatch { Path = "/images/{imageId}", Methods = ["GET", "HEAD"] },
            Transforms = [.. RemoveAuthorization, new Dictionary<string, string> { ["ResponseHeader"] = "Cache-Control", ["Set"] = ImageCacheControl }],
        },
    ];

    public static IReadOnlyList<ClusterConfig> Clusters(GatewayOptions options) =>
    [
        Cluster(RouterGrpcCluster, options.Backends.RouterGrpc, new ForwarderRequestConfig
        {
            // h2c with prior knowledge: cleartext HTTP/2 has no ALPN to negotiate with.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            ActivityTimeout = options.ProxyActivityTimeout,
        }),
        Cluster(RouterHttpCluster, options.Backends.RouterHttp, new ForwarderRequestConfig
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            ActivityTimeout = options.ProxyActivityTimeout,
        }),
        Cluster(StorageHttpCluster, options.Backends.StorageHttp, new ForwarderRequestConfig
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            ActivityTimeout = options.ProxyActivityTimeout,
        }),
    ];

    private static IReadOnlyList<IReadOnlyDictionary<string, string>> RemoveAuthorization { get; } =
        [new Dictionary<string, string> { ["RequestHeaderRemove"] = "Authorization" }];

    private static RouteConfig Route(string id, string path, string cluster, bool generation = false, int order = 0) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Order = order,
        Match = new RouteMatch { Path = path },
        AuthorizationPolicy = ApiKeyDefaults.Policy,
        Transforms = RemoveAuthorization,
        Metadata = generation ? new Dictionary<string, string> { [GenerationEndpoint.RouteMetadataKey] = "true" } : null,
    };

    private static ClusterConfig Cluster(string id, Uri address, ForwarderRequestConfig request) => new()
    {
        ClusterId = id,
        Destinations = new Dictionary<string, DestinationConfig> { [id] = new() { Address = address.ToString() } },
        HttpRequest = request,
        HttpClient = new HttpClientConfig { EnableMultipleHttp2Connections = true },
    };
}

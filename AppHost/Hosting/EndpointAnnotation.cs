namespace AppHost.Hosting;

/// <summary>
/// One endpoint of a resource (Aspire's <c>EndpointAnnotation</c>). Not proxied: the port others connect to is the port
/// the process listens on, always on 127.0.0.1.
/// </summary>
public sealed class EndpointAnnotation(string name)
{
    /// <summary>The endpoint name: <c>http</c>, <c>grpc</c>, … (the Kestrel endpoint name when it comes from appsettings).</summary>
    public string Name { get; } = name;

    /// <summary>The URI scheme. Default <c>http</c>.</summary>
    public string UriScheme { get; set; } = "http";

    /// <summary><c>http</c> (HTTP/1.1) or <c>http2</c> (Kestrel <c>Protocols=Http2</c>, gRPC).</summary>
    public string Transport { get; set; } = "http";

    /// <summary>A fixed port, or null (default) for a free one chosen at start.</summary>
    public int? Port { get; set; }

    /// <summary>True when users (not only other resources) are meant to call it; printed at start. Default false.</summary>
    public bool IsExternal { get; set; }

    /// <summary>The port in use once the application has allocated ports; null before.</summary>
    public int? AllocatedPort { get; internal set; }

    /// <summary><c>{scheme}://127.0.0.1:{port}</c>; throws before ports are allocated.</summary>
    public string Url => AllocatedPort is { } port
        ? $"{UriScheme}://127.0.0.1:{port}"
        : throw new InvalidOperationException($"Endpoint '{Name}' has no port yet; ports are allocated when the application starts.");
}

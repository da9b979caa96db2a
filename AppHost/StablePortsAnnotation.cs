namespace AppHost;

/// <summary>Marks a resource whose endpoint ports are part of the public contract (the gateway's 8080 / 8081).</summary>
public sealed class StablePortsAnnotation : IResourceAnnotation;

using Yarp.ReverseProxy.Model;

namespace Gateway.RateLimiting;

/// <summary>
/// Marks the endpoints that run a generation (each is one Generate stream at the router, streamed to the caller or
/// not): they count against the per-key concurrent-stream cap.
/// </summary>
public sealed class GenerationEndpoint
{
    /// <summary>The metadata instance minimal API endpoints carry.</summary>
    public static readonly GenerationEndpoint Metadata = new();

    /// <summary>The key a YARP route's <c>Metadata</c> carries (value "true").</summary>
    public const string RouteMetadataKey = "Pipeline.Generation";

    private GenerationEndpoint()
    {
    }

    /// <summary>True when the request's endpoint runs a generation.</summary>
    public static bool Is(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            return false;
        }
        if (endpoint.Metadata.GetMetadata<GenerationEndpoint>() is not null)
        {
            return true;
        }
        var route = endpoint.Metadata.GetMetadata<RouteModel>();
        return route?.Config.Metadata?.TryGetValue(RouteMetadataKey, out var value) == true && value == "true";
    }
}

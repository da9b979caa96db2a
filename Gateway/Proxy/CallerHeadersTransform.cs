using Gateway.Authentication;
using Pipeline.ServiceDefaults.Security;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Proxy;

/// <summary>
/// Every request YARP forwards to the router or storage says who it is for: the authenticated key's
/// <see cref="Caller"/> headers. Whatever a client sent under those names, or any other <c>x-pipeline-*</c> name, is
/// dropped first, so a client cannot pose as another tenant or as an admin.
/// </summary>
public static class CallerHeadersTransform
{
    /// <summary>The prefix of the fleet's internal headers; none of a client's reaches a backend.</summary>
    public const string InternalPrefix = "x-pipeline-";

    /// <summary>Adds the transform to every route.</summary>
    public static IReverseProxyBuilder AddCallerHeadersTransform(this IReverseProxyBuilder proxy) =>
        proxy.AddTransforms(context => context.AddRequestTransform(Apply));

    private static ValueTask Apply(RequestTransformContext transform)
    {
        var headers = transform.ProxyRequest.Headers;
        foreach (var name in Caller.Headers)
        {
            headers.Remove(name);
        }
        // The internal secret's own transform replaces that header; every other x-pipeline-* a client sent goes.
        foreach (var name in transform.HttpContext.Request.Headers.Keys)
        {
            if (name.StartsWith(InternalPrefix, StringComparison.OrdinalIgnoreCase) && !name.Equals(InternalSecret.HeaderName, StringComparison.OrdinalIgnoreCase))
            {
                headers.Remove(name);
            }
        }
        if (transform.HttpContext.GetCaller() is { } caller)
        {
            foreach (var (name, value) in caller.ToHeaders())
            {
                headers.TryAddWithoutValidation(name, value);
            }
        }
        return ValueTask.CompletedTask;
    }
}

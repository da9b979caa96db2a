using Pipeline.ServiceDefaults.Security;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Proxy;

/// <summary>
/// Every request YARP forwards to the router or storage carries the fleet's <see cref="InternalSecret"/>; a value a
/// caller sent in the same header is dropped first, so nothing from outside reaches a backend under that name.
/// </summary>
public static class InternalSecretTransform
{
    /// <summary>Adds the transform to every route.</summary>
    public static IReverseProxyBuilder AddInternalSecretTransform(this IReverseProxyBuilder proxy) =>
        proxy.AddTransforms(context =>
        {
            var secret = context.Services.GetRequiredService<InternalSecret>();
            context.AddRequestTransform(transform => Apply(transform, secret));
        });

    private static ValueTask Apply(RequestTransformContext transform, InternalSecret secret)
    {
        transform.ProxyRequest.Headers.Remove(InternalSecret.HeaderName);
        if (secret.Value is { } value)
        {
            transform.ProxyRequest.Headers.TryAddWithoutValidation(InternalSecret.HeaderName, value);
        }
        return ValueTask.CompletedTask;
    }
}

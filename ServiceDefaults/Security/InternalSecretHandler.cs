namespace Pipeline.ServiceDefaults.Security;

/// <summary>
/// Adds the <see cref="InternalSecret"/> to every request of an internal client (typed gRPC clients to other services
/// of the fleet); replaces any value already there. Sends nothing when no secret is configured. Never added to a
/// provider's HttpClient.
/// </summary>
internal sealed class InternalSecretHandler(InternalSecret secret) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(InternalSecret.HeaderName);
        if (secret.Value is { } value)
        {
            request.Headers.TryAddWithoutValidation(InternalSecret.HeaderName, value);
        }
        return base.SendAsync(request, cancellationToken);
    }
}

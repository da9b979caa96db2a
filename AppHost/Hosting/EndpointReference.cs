namespace AppHost.Hosting;

/// <summary>A late-bound reference to a resource's endpoint; its URL is known once ports are allocated.</summary>
public sealed class EndpointReference(ProjectResource resource, string endpointName)
{
    public ProjectResource Resource { get; } = resource;

    public string EndpointName { get; } = endpointName;

    /// <summary>The endpoint's URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url => Resource.GetEndpointAnnotation(EndpointName).Url;

    public override string ToString() => Url;
}

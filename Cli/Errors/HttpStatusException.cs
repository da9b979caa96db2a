using System.Net;

namespace Pipeline.Cli.Errors;

/// <summary>The gateway's HTTP side answered with an error status; <see cref="Exception.Message"/> is its body's message.</summary>
internal sealed class HttpStatusException(HttpStatusCode statusCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>502, 503 and 504 mean the fleet is unavailable rather than refusing.</summary>
    public bool Unavailable => StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}

namespace Pipeline.Grpc;

/// <summary>Options of the gRPC server side, shared by every service an application maps.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>Largest request message accepted, in bytes. Default 4 MiB (as grpc-core and grpc-dotnet); null = unlimited.</summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest response message sent, in bytes. Default null = unlimited (as grpc-core and grpc-dotnet).</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// When true, an unexpected exception's message is sent to the caller; otherwise the caller sees
    /// "Exception was thrown by handler." and the exception is logged. Default false.
    /// </summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>
    /// Maps a service's own exception types to statuses before the default mapping applies (return null to pass).
    /// The wire layer calls these from its single exception-to-status place.
    /// </summary>
    public IList<Func<Exception, Status?>> ExceptionMappers { get; } = [];
}

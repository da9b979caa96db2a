namespace Pipeline.ServiceDefaults.Grpc;

/// <summary>
/// A service's mapping from its own exception types to a rich status; returns null for exceptions it does not own.
/// Register with <see cref="Microsoft.Extensions.Hosting.GrpcServiceDefaultsExtensions.AddRpcExceptionMapper"/>.
/// </summary>
public sealed record RpcExceptionMapper(Func<Exception, Google.Rpc.Status?> Map);

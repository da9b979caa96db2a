using Pipeline.ServiceDefaults.Security;

namespace Storage.Service.Tenancy;

/// <summary>Reads the <see cref="Caller"/> a request is made for; malformed caller headers are INVALID_ARGUMENT on the header at fault.</summary>
public static class CallerHeaders
{
    /// <summary>The caller of a gRPC call (no caller metadata: <see cref="Caller.Default"/>).</summary>
    public static Caller Read(global::Grpc.Core.Metadata headers) => Read(() => Caller.From(headers));

    /// <summary>The caller of an HTTP request (no caller headers: <see cref="Caller.Default"/>).</summary>
    public static Caller Read(IHeaderDictionary headers) => Read(() => Caller.From(headers));

    private static Caller Read(Func<Caller> read)
    {
        try
        {
            return read();
        }
        catch (FormatException ex)
        {
            // Caller's messages quote the header at fault; a bad tenant name is the tenant header's.
            var field = Caller.Headers.FirstOrDefault(h => ex.Message.Contains($"'{h}'", StringComparison.Ordinal)) ?? Caller.TenantHeader;
            throw new StorageException(StorageErrorKind.InvalidArgument, ex.Message, field);
        }
    }
}

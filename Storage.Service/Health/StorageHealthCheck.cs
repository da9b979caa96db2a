using Microsoft.Extensions.Diagnostics.HealthChecks;
using Storage.Service.Blobs;
using Storage.Service.Metadata;

namespace Storage.Service.Health;

/// <summary>Healthy when the blob store can serve (the blob root exists, or the bucket answers) and the metadata store answers.</summary>
public sealed class StorageHealthCheck(IMetadataStore metadata, IBlobStore blobs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (await blobs.CheckHealthAsync(cancellationToken) is { } problem)
        {
            return HealthCheckResult.Unhealthy(problem);
        }
        try
        {
            return await metadata.PingAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("metadata store did not answer");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("metadata store failed", ex);
        }
    }
}

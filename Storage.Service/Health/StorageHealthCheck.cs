using Microsoft.Extensions.Diagnostics.HealthChecks;
using Storage.Service.Configuration;
using Storage.Service.Metadata;

namespace Storage.Service.Health;

/// <summary>Healthy when the metadata store answers and the blob root exists.</summary>
public sealed class StorageHealthCheck(IMetadataStore metadata, StorageOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(options.BlobRoot))
        {
            return HealthCheckResult.Unhealthy($"blob root {options.BlobRoot} is missing");
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

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace ServiceDefaults.Tests;

public sealed class OpenTelemetryExtensionsTests
{
    [Theory]
    [InlineData("/health", true)]
    [InlineData("/alive", true)]
    [InlineData("/grpc.health.v1.Health/Check", true)]
    [InlineData("/v1/images/generations", false)]
    [InlineData("/imagegen.v1.ImageGeneration/Generate", false)]
    [InlineData("/healthy-images", false)]
    public void IsHealthProbe_Path_OnlyProbesAreFiltered(string path, bool expected) =>
        Assert.Equal(expected, OpenTelemetryExtensions.IsHealthProbe(new PathString(path)));

    [Fact]
    public void ConfigureOpenTelemetry_NoOtlpEndpoint_TracerProviderWithoutExporterStillBuilt()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "" });

        builder.ConfigureOpenTelemetry();
        using var app = builder.Build();

        Assert.NotNull(app.Services.GetService<TracerProvider>());
    }
}

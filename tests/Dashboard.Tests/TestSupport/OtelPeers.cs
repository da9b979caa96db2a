using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Dashboard.Tests.TestSupport;

/// <summary>
/// The real OpenTelemetry .NET SDK with its OTLP exporter, pointed at a <see cref="DashboardHost"/> over gRPC or
/// http/protobuf, as a Pipeline service would be (service.name and service.instance.id on the resource).
/// </summary>
internal static class OtelPeers
{
    public static TracerProvider Tracer(DashboardHost dashboard, OtlpExportProtocol protocol, string service, string source) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(Resource(service))
            .AddSource(source)
            .AddOtlpExporter(o => Configure(o, dashboard, protocol, "/v1/traces"))
            .Build();

    public static ILoggerFactory Logger(DashboardHost dashboard, OtlpExportProtocol protocol, string service) =>
        LoggerFactory.Create(logging => logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.SetResourceBuilder(Resource(service));
            o.AddOtlpExporter(e => Configure(e, dashboard, protocol, "/v1/logs"));
        }));

    public static MeterProvider Meter(DashboardHost dashboard, OtlpExportProtocol protocol, string service, string meter) =>
        Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(Resource(service))
            .AddMeter(meter)
            .AddOtlpExporter(o => Configure(o, dashboard, protocol, "/v1/metrics"))
            .Build();

    /// <summary>The instance id each peer reports: <c>{service}-test</c>.</summary>
    public static string InstanceId(string service) => service + "-test";

    private static ResourceBuilder Resource(string service) =>
        ResourceBuilder.CreateEmpty().AddService(service, serviceInstanceId: InstanceId(service));

    private static void Configure(OtlpExporterOptions options, DashboardHost dashboard, OtlpExportProtocol protocol, string httpPath)
    {
        options.Protocol = protocol;
        // A programmatic endpoint is used as is: gRPC takes the host, http/protobuf the full signal URL.
        options.Endpoint = protocol == OtlpExportProtocol.Grpc ? dashboard.OtlpGrpc : new Uri(dashboard.OtlpHttp, httpPath);
        options.TimeoutMilliseconds = (int)TestTimeouts.Default.TotalMilliseconds;
    }
}

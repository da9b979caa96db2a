using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dashboard.Api;
using Dashboard.Tests.TestSupport;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Dashboard.Tests.Otlp;

/// <summary>OTLP/HTTP edge cases the SDK exporter does not produce: JSON with hex ids, gzip, bad input, limits, partial success.</summary>
public sealed class OtlpHttpIntakeTests
{
    private const string TraceId = "5b8efff798038103d269b633813fc60c";

    [Fact]
    public async Task PostTraces_OtlpJsonWithHexIdsAndUnknownFields_StoredAndAnsweredInJson()
    {
        await using var dashboard = await DashboardHost.StartAsync();
        var json = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gateway"}}]},
              "futureField":{"x":1},
              "scopeSpans":[{"scope":{"name":"manual"},"spans":[
                {"traceId":"TRACE_ID","spanId":"EEE19B7EC3C1B174","name":"GET /v1/configs","kind":2,
                 "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":1700000000250000000,
                 "attributes":[{"key":"http.response.status_code","value":{"intValue":"200"}},
                               {"key":"tags","value":{"kvlistValue":{"values":[{"key":"a","value":{"boolValue":true}}]}}}],
                 "status":{"code":1}}]}]}]}
            """.Replace("TRACE_ID", TraceId, StringComparison.Ordinal);

        using var response = await PostAsync(dashboard, "/v1/traces", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{ }", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var trace = await dashboard.WaitForTraceAsync(TraceId, spanCount: 1);
        var span = Assert.Single(trace.Spans);
        Assert.Equal(("eee19b7ec3c1b174", "gateway", "server", "Ok"), (span.SpanId, span.Service, span.Kind, span.Status.Code));
        Assert.Equal(250, span.DurationMs);
        Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc), span.StartTime);
        Assert.Equal("""{"a":true}""", span.Attributes["tags"]!.ToString());
    }

    [Fact]
    public async Task PostTraces_GzipProtobufWithOneInvalidSpan_StoresTheRestAndReportsPartialSuccess()
    {
        await using var dashboard = await DashboardHost.StartAsync();
        var request = Request(Span(TraceId, "00f067aa0ba902b7"), Span(TraceId, "0000000000000000"), Span("abcd", "00f067aa0ba902b8"));
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            request.WriteTo(gzip);
        }
        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await PostAsync(dashboard, "/v1/traces", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, answer.PartialSuccess.RejectedSpans);
        Assert.Contains("valid 16-byte trace id", answer.PartialSuccess.ErrorMessage);
        Assert.Single((await dashboard.WaitForTraceAsync(TraceId, spanCount: 1)).Spans);
    }

    [Theory]
    [InlineData("text/plain", null, "not protobuf", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/x-protobuf", "br", "", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/x-protobuf", "gzip", "not gzip", HttpStatusCode.BadRequest)]
    [InlineData("application/x-protobuf", null, "\u0008\u0096", HttpStatusCode.BadRequest)]
    [InlineData("application/json", null, "{\"resourceSpans\": 12", HttpStatusCode.BadRequest)]
    public async Task PostTraces_BadRequest_AnswersStatusWithGoogleRpcStatusBody(string contentType, string? encoding, string body, HttpStatusCode expected)
    {
        await using var dashboard = await DashboardHost.StartAsync();
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (encoding is not null)
        {
            content.Headers.ContentEncoding.Add(encoding);
        }

        using var response = await PostAsync(dashboard, "/v1/traces", content);

        Assert.Equal(expected, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var status = response.Content.Headers.ContentType?.MediaType == "application/json"
            ? Google.Rpc.Status.Parser.ParseJson(Encoding.UTF8.GetString(bytes))
            : Google.Rpc.Status.Parser.ParseFrom(bytes);
        Assert.Equal(3, status.Code);
        Assert.NotEmpty(status.Message);
        Assert.Empty(await dashboard.GetAsync<TraceSummaryView[]>("/api/traces"));
    }

    [Fact]
    public async Task PostTraces_OverTheSizeLimit_Answers413()
    {
        await using var dashboard = await DashboardHost.StartAsync(new Dictionary<string, string?> { ["Dashboard:MaxOtlpMessageBytes"] = "1024" });
        var span = Span(TraceId, "00f067aa0ba902b7");
        span.Attributes.Add(new KeyValue { Key = "big", Value = new AnyValue { StringValue = new string('x', 2000) } });
        var content = new ByteArrayContent(Request(span).ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");

        using var response = await PostAsync(dashboard, "/v1/traces", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(8, Google.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Code);
    }

    private static async Task<HttpResponseMessage> PostAsync(DashboardHost dashboard, string path, HttpContent content)
    {
        using var client = new HttpClient { BaseAddress = dashboard.OtlpHttp, Timeout = TestTimeouts.Default };
        return await client.PostAsync(path, content, TestContext.Current.CancellationToken).DefaultTimeout();
    }

    private static ExportTraceServiceRequest Request(params Span[] spans)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "manual" } };
        scope.Spans.AddRange(spans);
        var resource = new Resource();
        resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "storage" } });
        var resourceSpans = new ResourceSpans { Resource = resource };
        resourceSpans.ScopeSpans.Add(scope);
        return new ExportTraceServiceRequest { ResourceSpans = { resourceSpans } };
    }

    private static Span Span(string traceId, string spanId) => new()
    {
        TraceId = ByteString.CopyFrom(Convert.FromHexString(traceId)),
        SpanId = ByteString.CopyFrom(Convert.FromHexString(spanId)),
        Name = "storage.v1.Storage/PutImage",
        Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind.Server,
        StartTimeUnixNano = 1_700_000_000_000_000_000,
        EndTimeUnixNano = 1_700_000_000_010_000_000,
    };
}

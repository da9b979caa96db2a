using System.IO.Compression;
using Google.Protobuf;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Dashboard.Otlp;

/// <summary>
/// OTLP/HTTP: <c>POST /v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c> with <c>application/x-protobuf</c> or
/// <c>application/json</c> bodies (optionally <c>Content-Encoding: gzip</c>); the answer uses the request's format.
/// Errors: 415 unsupported type or encoding, 413 over <see cref="DashboardOptions.MaxOtlpMessageBytes"/>, 400 bad data,
/// each with a <c>google.rpc.Status</c> body.
/// </summary>
internal static class OtlpHttpIntake
{
    private const string ProtobufType = "application/x-protobuf";
    private const string JsonType = "application/json";

    public static void MapOtlpHttp(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/traces", (HttpContext context, OtlpIngestor ingestor, DashboardOptions options) =>
            HandleAsync<ExportTraceServiceRequest>(context, options, "traces", ingestor.Ingest));
        endpoints.MapPost("/v1/logs", (HttpContext context, OtlpIngestor ingestor, DashboardOptions options) =>
            HandleAsync<ExportLogsServiceRequest>(context, options, "logs", ingestor.Ingest));
        endpoints.MapPost("/v1/metrics", (HttpContext context, OtlpIngestor ingestor, DashboardOptions options) =>
            HandleAsync<ExportMetricsServiceRequest>(context, options, "metrics", ingestor.Ingest));
    }

    private static async Task HandleAsync<TRequest>(HttpContext context, DashboardOptions options, string signal, Func<TRequest, IMessage> ingest)
        where TRequest : IMessage<TRequest>, new()
    {
        var logger = context.RequestServices.GetRequiredService<ILogger<OtlpIngestor>>();
        var mediaType = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        var json = string.Equals(mediaType, JsonType, StringComparison.OrdinalIgnoreCase);
        if (!json && !string.Equals(mediaType, ProtobufType, StringComparison.OrdinalIgnoreCase))
        {
            await FailAsync(context, json: false, StatusCodes.Status415UnsupportedMediaType, 3,
                $"Content-Type must be {ProtobufType} or {JsonType}, not '{context.Request.ContentType}'.");
            return;
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(context, options.MaxOtlpMessageBytes);
        }
        catch (RequestTooLargeException)
        {
            DashboardLog.OtlpRequestRejected(logger, signal, "body over the size limit");
            await FailAsync(context, json, StatusCodes.Status413PayloadTooLarge, 8, $"The request is over {options.MaxOtlpMessageBytes} bytes.");
            return;
        }
        catch (UnsupportedEncodingException e)
        {
            await FailAsync(context, json, StatusCodes.Status415UnsupportedMediaType, 3, e.Message);
            return;
        }
        catch (InvalidDataException)
        {
            DashboardLog.OtlpRequestRejected(logger, signal, "body is not valid gzip");
            await FailAsync(context, json, StatusCodes.Status400BadRequest, 3, "The body is not valid gzip.");
            return;
        }

        TRequest request;
        try
        {
            request = json ? OtlpJson.Parse<TRequest>(body) : new MessageParser<TRequest>(() => new TRequest()).ParseFrom(body);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or System.Text.Json.JsonException or FormatException)
        {
            DashboardLog.OtlpRequestRejected(logger, signal, e.Message);
            await FailAsync(context, json, StatusCodes.Status400BadRequest, 3, $"The body is not a valid OTLP {signal} request: {e.Message}");
            return;
        }

        await WriteAsync(context, json, StatusCodes.Status200OK, ingest(request));
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context, int maxBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }
        var encoding = context.Request.Headers.ContentEncoding.ToString();
        await using var source = encoding switch
        {
            "" or "identity" => context.Request.Body,
            "gzip" => new GZipStream(context.Request.Body, CompressionMode.Decompress, leaveOpen: true),
            _ => throw new UnsupportedEncodingException($"Content-Encoding '{encoding}' is not supported; use gzip or none."),
        };
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await source.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new RequestTooLargeException();
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new RequestTooLargeException();
        }
        return buffer.ToArray();
    }

    private static Task FailAsync(HttpContext context, bool json, int httpStatus, int grpcCode, string message) =>
        WriteAsync(context, json, httpStatus, new Google.Rpc.Status { Code = grpcCode, Message = message });

    private static async Task WriteAsync(HttpContext context, bool json, int httpStatus, IMessage message)
    {
        context.Response.StatusCode = httpStatus;
        context.Response.ContentType = json ? JsonType : ProtobufType;
        if (json)
        {
            await context.Response.WriteAsync(OtlpJson.Format(message), context.RequestAborted);
        }
        else
        {
            await context.Response.Body.WriteAsync(message.ToByteArray(), context.RequestAborted);
        }
    }

    private sealed class RequestTooLargeException : Exception;

    private sealed class UnsupportedEncodingException(string message) : Exception(message);
}

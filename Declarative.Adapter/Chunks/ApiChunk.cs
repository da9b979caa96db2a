using System.Text.Json.Nodes;
using Declarative.Adapter.Json;
using Pipeline.Contracts.Provider.V1;

namespace Declarative.Adapter.Chunks;

/// <summary>How the request body is sent (<c>api_config.body_format</c>).</summary>
internal enum BodyFormat
{
    /// <summary><c>json</c> (default): the body template as application/json.</summary>
    Json,

    /// <summary><c>multipart</c>: each top-level field a multipart/form-data part.</summary>
    Multipart,
}

/// <summary>
/// An api_output_chunk as the router forwards it (<see cref="ProviderRequest.Chunk"/>), read once per call into an immutable
/// runtime model. Templates (<see cref="Endpoint"/>, <see cref="Headers"/>, <see cref="RequestBody"/>) still hold their
/// <c>{{NAME}}</c> placeholders.
/// </summary>
internal sealed record ApiChunk
{
    public required string Name { get; init; }

    /// <summary>The provider it calls, e.g. "stability" (errors, the caller key's provider).</summary>
    public required string Provider { get; init; }

    /// <summary>api_config.model, else the request's model: the value of <c>{{MODEL}}</c>.</summary>
    public required string Model { get; init; }

    public required string Endpoint { get; init; }

    /// <summary>POST (default) or GET.</summary>
    public required HttpMethod Method { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    /// <summary>The body template; callers clone it before filling it.</summary>
    public required JsonObject RequestBody { get; init; }

    public required BodyFormat BodyFormat { get; init; }

    public required IReadOnlyList<InputMapping> InputMappings { get; init; }

    public required OutputMapping Output { get; init; }

    public AsyncPolling? Async { get; init; }

    public StreamingEvents? Streaming { get; init; }

    public required ErrorTable Errors { get; init; }

    /// <summary>meta.cost_per_image_usd in millionths of a dollar, when the chunk gives a price.</summary>
    public long? CostPerImageUsdMicros { get; init; }

    public bool Local { get; init; }

    /// <summary>Reads <paramref name="request"/>'s chunk; INVALID_ARGUMENT listing every problem when it cannot be executed.</summary>
    public static ApiChunk Parse(ProviderRequest request)
    {
        var chunk = request.Chunk;
        var name = chunk.Name is { Length: > 0 } n ? n : "(unnamed)";
        var reader = new ChunkReader(name);
        var config = StructJson.ToObject(chunk.ApiConfig);
        var endpoint = reader.String(config, "endpoint", "api_config", required: true);
        var methodName = reader.String(config, "method", "api_config") ?? "POST";
        if (methodName.ToUpperInvariant() is not ("POST" or "GET"))
        {
            reader.Problem($"api_config.method '{methodName}' is not supported; allowed: POST, GET");
        }
        var formatName = reader.String(config, "body_format", "api_config") ?? "json";
        var format = formatName switch
        {
            "json" => BodyFormat.Json,
            "multipart" => BodyFormat.Multipart,
            _ => Invalid(reader, $"api_config.body_format '{formatName}' is unknown; allowed: json, multipart"),
        };
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (header, value) in reader.Object(config, "headers", "api_config") ?? [])
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var text))
            {
                headers.Add(new(header, text));
            }
            else
            {
                reader.Problem($"api_config.headers.{header} must be a string");
            }
        }
        var body = reader.Object(config, "request_body", "api_config") ?? [];
        var mappings = InputMapping.ReadAll(StructJson.ToObject(chunk.InputMappings), reader);
        var output = OutputMapping.Read(StructJson.ToObject(chunk.OutputMapping), reader);
        var parsed = new ApiChunk
        {
            Name = name,
            Provider = chunk.Provider is { Length: > 0 } p ? p : reader.String(config, "provider", "api_config") ?? "declarative",
            Model = reader.String(config, "model", "api_config") ?? request.Model,
            Endpoint = endpoint ?? "",
            Method = methodName.Equals("GET", StringComparison.OrdinalIgnoreCase) ? HttpMethod.Get : HttpMethod.Post,
            Headers = headers,
            RequestBody = body,
            BodyFormat = format,
            InputMappings = mappings,
            Output = output,
            Async = AsyncPolling.Read(config, reader),
            Streaming = StreamingEvents.Read(config, reader),
            Errors = ErrorTable.Read(config, reader),
            CostPerImageUsdMicros = chunk.HasCostPerImageUsdMicros ? chunk.CostPerImageUsdMicros : null,
            Local = chunk.Local,
        };
        if (parsed.Async is not null && parsed.Streaming is not null)
        {
            reader.Problem("api_config has both async and streaming; a call is one or the other");
        }
        reader.ThrowIfInvalid();
        return parsed;
    }

    private static BodyFormat Invalid(ChunkReader reader, string problem)
    {
        reader.Problem(problem);
        return BodyFormat.Json;
    }
}

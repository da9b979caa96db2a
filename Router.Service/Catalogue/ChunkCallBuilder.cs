using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Provider.V1;
using Router.Service.Catalogue.Files;

namespace Router.Service.Catalogue;

/// <summary>
/// Checks the chunks adapters execute as written, the seed's <c>api_output_chunk</c> (an HTTP call described in JSON) and
/// <c>output_chunk</c> (a ComfyUI workflow), and turns them into the <see cref="ChunkCall"/> the router sends with every
/// call. Every problem is reported with the field that has it.
/// </summary>
internal static partial class ChunkCallBuilder
{
    /// <summary>The <c>output_chunk</c> backend this fleet runs.</summary>
    public const string ComfyUIBackend = "comfyui";

    private static readonly string[] ApiConfigFields =
        ["provider", "model", "endpoint", "method", "headers", "request_body", "body_format", "async", "streaming", "errors", "description"];

    private static readonly string[] ErrorCodes =
        ["INVALID_ARGUMENT", "UNAUTHENTICATED", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "NOT_FOUND", "DEADLINE_EXCEEDED", "UNAVAILABLE"];

    /// <summary>Placeholders that are not secrets: the prompt and the model.</summary>
    private static readonly string[] Reserved = ["PROMPT", "MODEL"];

    /// <summary>What an executed chunk resolves to.</summary>
    public sealed record Result(AdapterKind Adapter, ChunkOperation Operation, string Provider, string Model, ChunkCall Call,
        ImmutableArray<string> Secrets, ImmutableDictionary<string, InputMapping> Mappings, OutputMapping Output);

    /// <summary>An <c>api_output_chunk</c>: provider, endpoint, headers and body template, the mappings and the output.</summary>
    public static Result? BuildApi(string file, ChunkFile chunk, CatalogueErrors errors)
    {
        var before = errors.Count;
        RefuseTypedFields(file, chunk, "api_output_chunk", errors);
        if (chunk.ApiConfig is not { ValueKind: JsonValueKind.Object } config)
        {
            errors.Add(file, "api_config", "api_config is required for an api_output_chunk: an object with provider, endpoint, method, headers and request_body");
            return null;
        }
        if (chunk.Workflow is not null)
        {
            errors.Add(file, "workflow", "workflow belongs to an output_chunk (ComfyUI); an api_output_chunk describes its call in api_config");
        }
        foreach (var property in config.EnumerateObject().Where(p => !ApiConfigFields.Contains(p.Name)))
        {
            errors.Add(file, $"api_config.{property.Name}", $"api_config.{property.Name} is not a known field; allowed: {string.Join(", ", ApiConfigFields)}");
        }

        var provider = String(config, "provider");
        if (provider is null || !ProviderPattern().IsMatch(provider))
        {
            errors.Add(file, "api_config.provider", "api_config.provider is required: the provider's name in a-z, 0-9 and '-', e.g. \"stability\" (callers send its key as x-provider-key-{provider})");
        }
        var model = chunk.Model ?? String(config, "model");
        if (string.IsNullOrWhiteSpace(model))
        {
            errors.Add(file, "api_config.model", "api_config.model is required: the provider's model id, e.g. \"stable-image-core\"");
        }
        CheckEndpoint(file, String(config, "endpoint"), errors);
        if (String(config, "method") is { } method && method is not ("POST" or "GET"))
        {
            errors.Add(file, "api_config.method", $"api_config.method = '{method}' is not supported; use POST or GET");
        }
        if (String(config, "body_format") is { } format && format is not ("json" or "multipart"))
        {
            errors.Add(file, "api_config.body_format", $"api_config.body_format = '{format}' is unknown; allowed: json, multipart");
        }
        CheckHeaders(file, config, errors);
        if (config.TryGetProperty("request_body", out var body) && body.ValueKind != JsonValueKind.Object)
        {
            errors.Add(file, "api_config.request_body", "api_config.request_body must be a JSON object (the body template)");
        }
        CheckAsync(file, config, errors);
        CheckStreaming(file, config, errors);
        CheckErrorTable(file, config, errors);

        var mappings = InputMappingBuilder.Build(file, chunk.InputMappings, field => ApiFieldPattern().IsMatch(field),
            "a path into the call rooted at request_body or headers, e.g. \"request_body.messages[1].content\"", errors);
        var placeholders = Placeholders(config).ToList();
        if (!mappings.ContainsKey("prompt") && !placeholders.Contains("PROMPT"))
        {
            errors.Add(file, "input_mappings.prompt", "the prompt goes nowhere: map it (\"prompt\": { \"field\": \"request_body.prompt\" }) or write {{PROMPT}} in the request_body");
        }
        var output = ChunkBuilder.BuildMapping(file, chunk.OutputMapping, ChunkOperation.Http, errors);
        var mapping = chunk.OutputMapping;
        if (output is { Type: OutputMappingType.JsonPath } && string.IsNullOrWhiteSpace(mapping!.ExtractPath))
        {
            errors.Add(file, "output_mapping.extract_path", "output_mapping.extract_path is required for json_path, e.g. \"image\" or \"output[]\"");
        }
        else if (output is { Type: OutputMappingType.JsonPath } && mapping!.ExtractPath is { } path && !ExtractPathPattern().IsMatch(path))
        {
            errors.Add(file, "output_mapping.extract_path", $"output_mapping.extract_path = '{path}' is not a path; use names, [i] and [] steps, e.g. \"artifacts[].base64\"");
        }

        if (errors.Count > before)
        {
            return null;
        }
        var secrets = placeholders.Where(p => !Reserved.Contains(p)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        var call = new ChunkCall
        {
            Name = chunk.Name ?? "",
            Provider = provider!,
            ApiConfig = ToStruct(config),
            InputMappings = ToStruct(chunk.InputMappings),
            OutputMapping = ToStruct(chunk.OutputMapping),
        };
        return new Result(AdapterKind.Declarative, ChunkOperation.Http, provider!, model!, call, secrets, mappings, output!);
    }

    /// <summary>An <c>output_chunk</c>: a ComfyUI workflow in API format, its parameter paths and its output node.</summary>
    public static Result? BuildWorkflow(string file, ChunkFile chunk, CatalogueErrors errors)
    {
        var before = errors.Count;
        RefuseTypedFields(file, chunk, "output_chunk", errors);
        if (chunk.BackendType != ComfyUIBackend)
        {
            errors.Add(file, "backend_type", $"backend_type = '{chunk.BackendType}' is not supported for an output_chunk; allowed: {ComfyUIBackend}");
        }
        if (chunk.ApiConfig is not null)
        {
            errors.Add(file, "api_config", "api_config belongs to an api_output_chunk; an output_chunk embeds a workflow");
        }
        if (chunk.Workflow is not { ValueKind: JsonValueKind.Object } workflow)
        {
            errors.Add(file, "workflow", "workflow is required for an output_chunk: the ComfyUI workflow in API format (node id -> {class_type, inputs})");
            return null;
        }
        var nodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in workflow.EnumerateObject())
        {
            nodes.Add(node.Name);
            if (node.Value.ValueKind != JsonValueKind.Object
                || !node.Value.TryGetProperty("class_type", out var type) || type.ValueKind != JsonValueKind.String
                || !node.Value.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Object)
            {
                errors.Add(file, $"workflow.{node.Name}", $"workflow node '{node.Name}' needs \"class_type\" (a string) and \"inputs\" (an object), as ComfyUI's API format has them");
            }
        }
        if (nodes.Count == 0)
        {
            errors.Add(file, "workflow", "workflow has no nodes");
        }

        var mappings = InputMappingBuilder.Build(file, chunk.InputMappings, field => WorkflowFieldPattern().Match(field) is { Success: true } m && nodes.Contains(m.Groups["node"].Value),
            "a node input of the workflow, \"{node id}.inputs.{name}\", e.g. \"3.inputs.steps\"", errors);
        if (!mappings.ContainsKey("prompt"))
        {
            errors.Add(file, "input_mappings.prompt", "map the prompt to the workflow's positive text node, e.g. \"prompt\": { \"field\": \"6.inputs.text\" }");
        }
        var output = ChunkBuilder.BuildMapping(file, chunk.OutputMapping, ChunkOperation.Workflow, errors);
        if (output is not null && (chunk.OutputMapping!.Node is not { } outputNode || !nodes.Contains(outputNode)))
        {
            errors.Add(file, "output_mapping.node", $"output_mapping.node = '{chunk.OutputMapping!.Node}' must name the workflow's output node (e.g. its SaveImage node)");
        }

        if (errors.Count > before)
        {
            return null;
        }
        var call = new ChunkCall
        {
            Name = chunk.Name ?? "",
            Provider = ComfyUIBackend,
            Workflow = ToStruct(workflow),
            InputMappings = ToStruct(chunk.InputMappings),
            OutputMapping = ToStruct(chunk.OutputMapping),
            Local = true,
        };
        return new Result(AdapterKind.ComfyUI, ChunkOperation.Workflow, ComfyUIBackend, chunk.Model ?? "workflow", call, [], mappings, output!);
    }

    private static void RefuseTypedFields(string file, ChunkFile chunk, string type, CatalogueErrors errors)
    {
        if (chunk.Adapter is not null)
        {
            errors.Add(file, "adapter", $"adapter is not used by an {type}: its adapter follows from the type; remove it");
        }
        if (chunk.Operation is not null)
        {
            errors.Add(file, "operation", $"operation is not used by an {type}: remove it");
        }
    }

    private static void CheckEndpoint(string file, string? endpoint, CatalogueErrors errors)
    {
        var filled = endpoint is null ? null : PlaceholderPattern().Replace(endpoint, "x");
        if (filled is null || !Uri.TryCreate(filled, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            errors.Add(file, "api_config.endpoint", $"api_config.endpoint = '{endpoint}' must be an absolute https:// (or http://) URL, e.g. \"https://api.stability.ai/v2beta/stable-image/generate/core\"");
        }
    }

    private static void CheckHeaders(string file, JsonElement config, CatalogueErrors errors)
    {
        if (!config.TryGetProperty("headers", out var headers))
        {
            return;
        }
        if (headers.ValueKind != JsonValueKind.Object)
        {
            errors.Add(file, "api_config.headers", "api_config.headers must be an object of header names to string values");
            return;
        }
        foreach (var header in headers.EnumerateObject().Where(h => h.Value.ValueKind != JsonValueKind.String))
        {
            errors.Add(file, $"api_config.headers.{header.Name}", $"api_config.headers.{header.Name} must be a string");
        }
    }

    private static void CheckAsync(string file, JsonElement config, CatalogueErrors errors)
    {
        if (!config.TryGetProperty("async", out var async))
        {
            return;
        }
        if (async.ValueKind != JsonValueKind.Object)
        {
            errors.Add(file, "api_config.async", "api_config.async must be an object: status_url_path, status_path, succeeded, failed, interval_seconds");
            return;
        }
        foreach (var required in (string[])["status_url_path", "status_path"])
        {
            if (String(async, required) is not { Length: > 0 } path || !ExtractPathPattern().IsMatch(path))
            {
                errors.Add(file, $"api_config.async.{required}", $"api_config.async.{required} is required: a path into the provider's reply, e.g. \"{(required == "status_path" ? "status" : "urls.get")}\"");
            }
        }
        if (!async.TryGetProperty("succeeded", out var succeeded) || succeeded.ValueKind != JsonValueKind.Array || succeeded.GetArrayLength() == 0)
        {
            errors.Add(file, "api_config.async.succeeded", "api_config.async.succeeded is required: the statuses that mean done, e.g. [\"succeeded\"]");
        }
        if (async.TryGetProperty("interval_seconds", out var interval)
            && (interval.ValueKind != JsonValueKind.Number || interval.GetDouble() is < 0.05 or > 60))
        {
            errors.Add(file, "api_config.async.interval_seconds", "api_config.async.interval_seconds must be a number from 0.05 to 60");
        }
    }

    private static void CheckStreaming(string file, JsonElement config, CatalogueErrors errors)
    {
        if (!config.TryGetProperty("streaming", out var streaming))
        {
            return;
        }
        if (streaming.ValueKind != JsonValueKind.Object || String(streaming, "final_event") is null || String(streaming, "image_path") is null)
        {
            errors.Add(file, "api_config.streaming", "api_config.streaming must be an object with at least final_event and image_path (and partial_event, event_type_path)");
        }
        if (config.TryGetProperty("async", out _))
        {
            errors.Add(file, "api_config.streaming", "api_config has both async and streaming; a call either polls or streams");
        }
    }

    private static void CheckErrorTable(string file, JsonElement config, CatalogueErrors errors)
    {
        if (!config.TryGetProperty("errors", out var table))
        {
            return;
        }
        if (table.ValueKind != JsonValueKind.Object || !table.TryGetProperty("map", out var map) || map.ValueKind != JsonValueKind.Array)
        {
            errors.Add(file, "api_config.errors", "api_config.errors must be an object with a \"map\" array of { status, code } entries (and an optional message_path)");
            return;
        }
        var i = 0;
        foreach (var entry in map.EnumerateArray())
        {
            var field = $"api_config.errors.map[{i++}]";
            var status = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("status", out var value) ? value : (JsonElement?)null;
            if (status is { } given ? !given.TryGetInt32(out var code) || code is < 300 or > 599 : String(entry, "body_contains") is null)
            {
                errors.Add(file, $"{field}.status", $"{field}.status must be an HTTP error status, 300-599 (it may be left out when body_contains says which errors match)");
            }
            if (String(entry, "code") is not { } grpc || !ErrorCodes.Contains(grpc))
            {
                errors.Add(file, $"{field}.code", $"{field}.code must be one of {string.Join(", ", ErrorCodes)}");
            }
        }
    }

    /// <summary>Every <c>{{NAME}}</c> in the endpoint, the header values and the body template's strings.</summary>
    private static IEnumerable<string> Placeholders(JsonElement config)
    {
        foreach (var name in (string[])["endpoint", "headers", "request_body"])
        {
            if (config.TryGetProperty(name, out var part))
            {
                foreach (var text in Strings(part))
                {
                    foreach (Match match in PlaceholderPattern().Matches(text))
                    {
                        yield return match.Groups["name"].Value;
                    }
                }
            }
        }
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Struct ToStruct(JsonElement element) => JsonParser.Default.Parse<Struct>(element.GetRawText());

    private static Struct ToStruct<T>(T? value) where T : class =>
        value is null ? new Struct() : JsonParser.Default.Parse<Struct>(JsonSerializer.Serialize(value, CatalogueJson.WriteOptions));

    [GeneratedRegex(@"\{\{(?<name>[A-Za-z0-9_]+)\}\}")]
    internal static partial Regex PlaceholderPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex ProviderPattern();

    [GeneratedRegex(@"^(request_body|headers)(\.[A-Za-z0-9_\-]+|\[\d+\])+$")]
    private static partial Regex ApiFieldPattern();

    [GeneratedRegex(@"^(?<node>[A-Za-z0-9_\-:]+)\.inputs\.[A-Za-z0-9_]+$")]
    private static partial Regex WorkflowFieldPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+(\[\d*\])?(\.[A-Za-z0-9_\-]+(\[\d*\])?)*$")]
    private static partial Regex ExtractPathPattern();
}

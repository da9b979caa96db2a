using System.Collections.Immutable;
using Router.Service.Catalogue.Files;

namespace Router.Service.Catalogue;

/// <summary>Turns a chunk file into a <see cref="ChunkDefinition"/>, reporting every problem it finds.</summary>
internal static class ChunkBuilder
{
    private static readonly string[] Formats = ["png", "jpeg", "webp"];
    private static readonly string[] BackgroundValues = ["transparent", "opaque", "auto"];

    /// <summary>The chunk, or <c>null</c> when a required part is missing or wrong (errors say which).</summary>
    public static ChunkDefinition? Build(string file, string expectedName, ChunkFile chunk, CatalogueErrors errors)
    {
        var before = errors.Count;
        errors.CheckName(file, chunk.Name, expectedName);

        var mediaType = chunk.MediaType ?? "image";
        if (!CatalogueErrors.IsValidName(mediaType))
        {
            errors.Add(file, "media_type", $"media_type = '{mediaType}' is not a valid media type; use e.g. \"image\"");
        }

        var executed = chunk.Type switch
        {
            null => null,
            "api_output_chunk" => ChunkCallBuilder.BuildApi(file, chunk, errors),
            "output_chunk" => ChunkCallBuilder.BuildWorkflow(file, chunk, errors),
            _ => Unknown(file, chunk.Type, errors),
        };
        if (chunk.Type is not null && executed is null)
        {
            return null;
        }

        var adapter = executed?.Adapter ?? Lookup(file, "adapter", chunk.Adapter, CatalogueNames.Adapters, errors);
        var operation = executed?.Operation ?? Lookup(file, "operation", chunk.Operation, CatalogueNames.Operations, errors);
        var servedOperation = operation;
        if (adapter is { } a && operation is { } o && !CatalogueNames.OperationsOf(a).Contains(o))
        {
            errors.Add(file, "operation", $"operation = '{o.Name()}' is not served by adapter '{a.Name()}'; allowed: {string.Join(", ", CatalogueNames.OperationsOf(a).Select(x => x.Name()))}");
            servedOperation = null; // The output mapping is checked against the operation once that is fixed.
        }

        var model = executed?.Model ?? chunk.Model;
        if (string.IsNullOrWhiteSpace(model))
        {
            errors.Add(file, "model", "model is required; add the provider model id, e.g. \"model\": \"gpt-image-1\"");
        }

        // Executed chunks may leave rules out (one image, nothing else typed); their input mappings add to them.
        var rulesFile = chunk.Rules ?? (executed is null ? null : new RulesFile());
        var rules = rulesFile is null ? null : RulesBuilder.Build(file, rulesFile, errors);
        if (rulesFile is null)
        {
            errors.Add(file, "rules", "rules is required; add at least \"rules\": { \"max_n\": 1 }");
        }
        if (rules is not null && executed is not null)
        {
            rules = MappedParameters.AddRules(rules, rulesFile!, executed.Mappings);
        }

        var mapping = executed?.Output ?? BuildMapping(file, chunk.OutputMapping, servedOperation, errors);
        var meta = MetaBuilder.Build(file, chunk.Meta, new ChunkMetadata(), errors);

        if (errors.Count > before || adapter is null || operation is null || rules is null || mapping is null)
        {
            return null;
        }

        var defaults = ParametersMapper.Map(chunk.Defaults);
        var definition = new ChunkDefinition
        {
            Name = expectedName,
            File = file,
            MediaType = mediaType,
            Adapter = adapter.Value,
            Operation = operation.Value,
            Model = model!,
            Description = chunk.Description ?? "",
            Defaults = executed is null ? defaults : MappedParameters.Defaults(executed.Mappings).With(defaults),
            Rules = rules,
            OutputMapping = mapping,
            Meta = meta,
            Provider = executed?.Provider ?? adapter.Value.Name(),
            Call = executed?.Call,
            Secrets = executed?.Secrets ?? [],
        };
        if (definition.Call is { } call && meta.CostPerImageUsdMicros > 0)
        {
            call.CostPerImageUsdMicros = meta.CostPerImageUsdMicros;
        }

        foreach (var violation in ParameterChecker.Check(definition, definition.Defaults, definition.Defaults, "defaults"))
        {
            errors.Add(file, violation.Field, violation.Description);
        }

        return errors.Count > before ? null : definition;
    }

    private static ChunkCallBuilder.Result? Unknown(string file, string type, CatalogueErrors errors)
    {
        errors.Add(file, "type", $"type = '{type}' is unknown; allowed: api_output_chunk (an HTTP call described in JSON), output_chunk (a ComfyUI workflow), or no type for a typed adapter chunk");
        return null;
    }

    public static T? Lookup<T>(string file, string field, string? value, IReadOnlyDictionary<string, T> known, CatalogueErrors errors)
        where T : struct
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(file, field, $"{field} is required; allowed: {string.Join(", ", known.Keys)}");
            return null;
        }

        if (!known.TryGetValue(value, out var result))
        {
            errors.Add(file, field, $"{field} = '{value}' is unknown; allowed: {string.Join(", ", known.Keys)}");
            return null;
        }

        return result;
    }

    internal static OutputMapping? BuildMapping(string file, OutputMappingFile? mapping, ChunkOperation? operation, CatalogueErrors errors)
    {
        if (mapping is null)
        {
            errors.Add(file, "output_mapping", $"output_mapping is required; add e.g. \"output_mapping\": {{ \"type\": \"{(operation is { } op ? CatalogueNames.MappingsOf(op)[0].Name() : "images_api_base64")}\" }}");
            return null;
        }

        if (Lookup(file, "output_mapping.type", mapping.Type, CatalogueNames.OutputMappings, errors) is not { } type)
        {
            return null;
        }

        if (operation is { } o && !CatalogueNames.MappingsOf(o).Contains(type))
        {
            errors.Add(file, "output_mapping.type", $"output_mapping.type = '{type.Name()}' cannot read the output of operation '{o.Name()}'; allowed: {string.Join(", ", CatalogueNames.MappingsOf(o).Select(x => x.Name()))}");
            return null;
        }

        return new OutputMapping { Type = type, ExtractPath = mapping.ExtractPath ?? "" };
    }

    internal static void CheckSubset(string file, string field, List<string>? values, IReadOnlyCollection<string> allowed, CatalogueErrors errors)
    {
        foreach (var value in values ?? [])
        {
            if (!allowed.Contains(value))
            {
                errors.Add(file, field, $"{field} contains '{value}', which is not a known value; allowed: {string.Join(", ", allowed)}");
            }
        }
    }

    internal static IReadOnlyCollection<string> KnownFormats => Formats;

    internal static IReadOnlyCollection<string> KnownBackgrounds => BackgroundValues;

    internal static ImmutableArray<string> ToArray(List<string>? values) => values is null ? [] : [.. values];
}

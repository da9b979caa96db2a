using System.Text.Json.Nodes;
using Declarative.Adapter.Chunks;
using Declarative.Adapter.Json;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Providers;

namespace Declarative.Adapter.Templates;

/// <summary>
/// Turns a chunk and a request into a <see cref="PreparedCall"/>: parameters without a value drop their placeholder-only
/// template strings, placeholders are filled (<c>{{PROMPT}}</c>, <c>{{MODEL}}</c>, secrets), then the parameters' values are
/// written at their fields verbatim (a prompt holding "{{X}}" is never expanded), and the emulator routing is applied.
/// </summary>
internal sealed class CallBuilder(DeclarativeOptions options, SecretStore secrets)
{
    /// <summary>What an unconfigured secret becomes on a call routed to the emulator (which accepts any non-empty key).</summary>
    public const string EmulatorSecret = "emulator-key";

    public PreparedCall Build(ApiChunk chunk, ProviderRequest request, string callerKey)
    {
        var body = chunk.RequestBody.DeepClone().AsObject();
        var headers = new JsonObject();
        foreach (var (name, value) in chunk.Headers)
        {
            headers[name] = value;
        }

        var writes = new List<(InputMapping Mapping, JsonNode Value)>();
        foreach (var mapping in chunk.InputMappings)
        {
            var root = mapping.Root == FieldRoot.Headers ? headers : body;
            if ((ParameterValues.Find(request, mapping.Parameter) ?? mapping.Default?.DeepClone()) is { } value)
            {
                writes.Add((mapping, value));
            }
            else if (Placeholders.IsPlaceholderOnly(JsonPathWriter.Read(root, mapping.Steps)))
            {
                JsonPathWriter.Remove(root, mapping.Steps);
            }
        }

        var (values, viaEmulator) = ResolveSecrets(chunk, headers, body, callerKey);
        string ValueOf(string name) => name switch
        {
            Placeholders.Prompt => request.Prompt,
            Placeholders.Model => chunk.Model,
            _ => values[name],
        };
        var endpointText = Placeholders.Fill(chunk.Endpoint, name => Uri.EscapeDataString(ValueOf(name)));
        Placeholders.Fill(headers, ValueOf);
        Placeholders.Fill(body, ValueOf);

        foreach (var (mapping, value) in writes)
        {
            if (mapping.Root == FieldRoot.Headers)
            {
                headers[mapping.Steps[0].Name!] = JsonPath.AsText(value) ?? value.ToJsonString();
            }
            else
            {
                JsonPathWriter.Write(body, mapping.Steps, value);
            }
        }

        var endpoint = ParseEndpoint(chunk, endpointText);
        if (viaEmulator)
        {
            endpoint = EmulatorRoute(endpoint);
        }
        var headerList = headers.Select(h => new KeyValuePair<string, string>(h.Key, JsonPath.AsText(h.Value!) ?? "")).ToList();
        List<string> used = [.. values.Values.Where(v => v.Length > 0 && v != EmulatorSecret).Distinct()];
        return new PreparedCall(chunk, endpoint, headerList, body, used, viaEmulator);
    }

    /// <summary>
    /// The value of every secret the templates name: the caller's key, else the configured one. A secret without a configured
    /// value sends the call to the emulator when one is set; without an emulator and a value the call is UNAUTHENTICATED.
    /// </summary>
    private (Dictionary<string, string> Values, bool ViaEmulator) ResolveSecrets(ApiChunk chunk, JsonObject headers, JsonObject body, string callerKey)
    {
        var names = Placeholders.Names(chunk.Endpoint).Concat(Placeholders.Names(headers)).Concat(Placeholders.Names(body))
            .Where(n => n is not (Placeholders.Prompt or Placeholders.Model)).Distinct(StringComparer.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var viaEmulator = false;
        foreach (var name in names)
        {
            var configured = secrets.Find(name);
            if (configured is null && options.EmulatorUrl is not null)
            {
                viaEmulator = true;
            }
            values[name] = callerKey.Length > 0 ? callerKey
                : configured ?? (options.EmulatorUrl is not null ? EmulatorSecret : throw MissingSecret(chunk, name));
        }
        return (values, viaEmulator);
    }

    private Uri EmulatorRoute(Uri endpoint) =>
        new($"{options.EmulatorUrl!.AbsoluteUri.TrimEnd('/')}/{endpoint.Host}{endpoint.PathAndQuery}");

    private static Uri ParseEndpoint(ApiChunk chunk, string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return uri;
        }
        throw new ProviderException(ProviderFailureKind.InvalidRequest,
            $"Chunk '{chunk.Name}': api_config.endpoint '{chunk.Endpoint}' is not an absolute http(s) URL") { Param = "chunk.api_config.endpoint" };
    }

    private static ProviderException MissingSecret(ApiChunk chunk, string name) => new(ProviderFailureKind.Unauthenticated,
        $"Chunk '{chunk.Name}' needs the secret {name}: set the environment variable {name} or '{DeclarativeOptions.SectionName}:Secrets:{name}', " +
        $"or send the caller's {chunk.Provider} key in the '{ProviderAdapter.ProviderKeyHeader}' call metadata.");
}

using Google.Protobuf;
using System.Text.Json;
using Gateway.Authentication;
using Pipeline.ServiceDefaults.Security;
using Gateway.Errors;
using Pipeline.Contracts.ImageGen.V1;
using Grpc.Core;

namespace Gateway.OpenAI;

/// <summary>
/// <c>GET /v1/models</c> and <c>GET /v1/models/{model}</c>: the router's configs as OpenAI models (<c>id</c> = config
/// name, <c>owned_by</c> = provider), with the display name, description (in the caller's <c>Accept-Language</c>),
/// provider model and operation in a <c>pipeline</c> object.
/// </summary>
public sealed class ModelsHandler(RouterCatalogue catalogues, ILogger<ModelsHandler> logger)
{
    public async Task ListAsync(HttpContext context)
    {
        if (await ListConfigsAsync(context) is not { } catalogue)
        {
            return;
        }
        await WriteJsonAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            foreach (var config in catalogue.Configs)
            {
                WriteModel(json, config);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    public async Task GetAsync(HttpContext context, string model)
    {
        if (await ListConfigsAsync(context) is not { } catalogue)
        {
            return;
        }
        if (catalogue.Configs.FirstOrDefault(c => c.Name == model) is not { } config)
        {
            await OpenAIException.ModelNotFound(model).Error.WriteAsync(context.Response);
            return;
        }
        await WriteJsonAsync(context, json => WriteModel(json, config));
    }

    private async Task<ListConfigsResponse?> ListConfigsAsync(HttpContext context)
    {
        var language = context.Request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value)
            .FirstOrDefault(l => l is not null and not "*");
        try
        {
            return await catalogues.GetAsync(language ?? "", context.GetCaller() ?? Caller.Default, context.RequestAborted);
        }
        catch (RpcException ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            GatewayLog.ListConfigsFailed(logger, ex.StatusCode, ex.Status.Detail);
            await RpcErrorMapper.ToOpenAIError(ex).WriteAsync(context.Response);
            return null;
        }
    }

    private static void WriteModel(Utf8JsonWriter json, ConfigInfo config)
    {
        json.WriteStartObject();
        json.WriteString("id", config.Name);
        json.WriteString("object", "model");
        json.WriteNumber("created", 0);
        json.WriteString("owned_by", config.Provider);
        json.WriteStartObject("pipeline");
        json.WriteString("display_name", config.DisplayName);
        json.WriteString("description", config.Description);
        json.WriteString("provider_model", config.Model);
        json.WriteString("operation", config.Operation);
        json.WriteString("category", config.Category);
        json.WriteNumber("estimated_cost_usd_micros", config.EstimatedCostUsdMicros);
        json.WriteString("estimated_duration", config.EstimatedDuration);
        json.WriteStartArray("tags");
        foreach (var tag in config.Tags)
        {
            json.WriteStringValue(tag);
        }
        json.WriteEndArray();
        // What a client builds its form and picker from, as ListConfigs carries it (snake_case, like the rest).
        WriteMessage(json, "rules", config.Rules);
        WriteMessage(json, "display", config.Display);
        WriteMessage(json, "audience", config.AudienceDetails);
        if (config.GridRows > 0)
        {
            json.WriteStartObject("grid_split");
            json.WriteNumber("rows", config.GridRows);
            json.WriteNumber("cols", config.GridColumns);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static readonly JsonFormatter s_snakeCase = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true).WithFormatDefaultValues(true));

    private static void WriteMessage(Utf8JsonWriter json, string name, IMessage? message)
    {
        if (message is null)
        {
            return;
        }
        json.WritePropertyName(name);
        json.WriteRawValue(s_snakeCase.Format(message));
    }

    private static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body, GatewayJson.WriterOptions);
        write(json);
        await json.FlushAsync(context.RequestAborted);
    }
}

using Gateway.Authentication;
using Gateway.RateLimiting;

namespace Gateway.OpenAI;

/// <summary>The OpenAI-compatible API: images generations and edits (streamed or not) and models.</summary>
public static class OpenAIEndpoints
{
    /// <summary>Maps <c>/v1/images/generations</c>, <c>/v1/images/edits</c>, <c>/v1/models</c> and <c>/v1/models/{model}</c>, each requiring an API key.</summary>
    public static IEndpointRouteBuilder MapOpenAIApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1").RequireAuthorization(ApiKeyDefaults.Policy);
        v1.MapPost("/images/generations", (HttpContext context, ImageGenerationHandler handler) => handler.HandleAsync(context, ImageOperation.Generations))
            .WithMetadata(GenerationEndpoint.Metadata);
        v1.MapPost("/images/edits", (HttpContext context, ImageGenerationHandler handler) => handler.HandleAsync(context, ImageOperation.Edits))
            .WithMetadata(GenerationEndpoint.Metadata);
        v1.MapGet("/models", (HttpContext context, ModelsHandler handler) => handler.ListAsync(context));
        v1.MapGet("/models/{model}", (HttpContext context, string model, ModelsHandler handler) => handler.GetAsync(context, model));
        return endpoints;
    }
}

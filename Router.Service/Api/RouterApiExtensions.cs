
namespace Router.Service.Api;

/// <summary>Maps the router's public API.</summary>
public static class RouterApiExtensions
{
    /// <summary>Maps <c>imagegen.v1.ImageGeneration</c>.</summary>
    public static WebApplication MapRouterApi(this WebApplication app)
    {
        app.MapGrpcService<ImageGenerationService>();
        return app;
    }
}

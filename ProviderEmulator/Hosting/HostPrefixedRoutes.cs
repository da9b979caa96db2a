namespace ProviderEmulator.Hosting;

/// <summary>
/// Host-prefixed aliases of the OpenAI and OpenRouter routes, as the declarative adapter's emulator routing addresses them
/// (<c>{emulator}/{endpoint host}{endpoint path}</c>): <c>/api.openai.com/v1/…</c> is served as <c>/v1/…</c> and
/// <c>/openrouter.ai/api/v1/…</c> as <c>/api/v1/…</c>. (Stability and Replicate live under their host prefixes already.)
/// </summary>
internal static class HostPrefixedRoutes
{
    private static readonly (PathString Prefix, PathString Target)[] Aliases =
    [
        ("/api.openai.com/v1", "/v1"),
        ("/openrouter.ai/api/v1", "/api/v1"),
    ];

    /// <summary>Adds the rewrite, then routing (which must see the rewritten path).</summary>
    public static IApplicationBuilder UseHostPrefixedRoutes(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        foreach (var (prefix, target) in Aliases)
        {
            if (context.Request.Path.StartsWithSegments(prefix, StringComparison.Ordinal, out var rest))
            {
                context.Request.Path = target.Add(rest);
                break;
            }
        }
        return next(context);
    }).UseRouting();
}

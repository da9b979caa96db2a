using Microsoft.AspNetCore.Http.Features;
using ProviderEmulator.ComfyUI;
using ProviderEmulator.Faults;
using ProviderEmulator.Hosting;
using ProviderEmulator.Ledger;
using ProviderEmulator.OpenAI.Images;
using ProviderEmulator.OpenAI.Responses;
using ProviderEmulator.OpenRouter;
using ProviderEmulator.Rendering;
using ProviderEmulator.Replicate;
using ProviderEmulator.Stability;

namespace ProviderEmulator;

/// <summary>Service registration and route mapping of the emulator.</summary>
public static class EmulatorExtensions
{
    /// <summary>Registers the emulator's services, binding <see cref="EmulatorOptions"/> from the <c>Emulator</c> section.</summary>
    public static WebApplicationBuilder AddEmulatorServices(this WebApplicationBuilder builder, EmulatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= builder.Configuration.GetSection(EmulatorOptions.SectionName).Get<EmulatorOptions>() ?? new EmulatorOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FaultState>();
        builder.Services.AddSingleton<EmulatorTrafficLog>();
        builder.Services.AddSingleton<ImageLedger>();
        builder.Services.AddSingleton<ImageStudio>();
        builder.Services.AddSingleton<ImageFileStore>();
        builder.Services.AddSingleton<ResponseStore>();
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = 1L << 30);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1L << 30);
        return builder;
    }

    /// <summary>Maps every emulator route behind the emulator middleware (ids, auth, faults, traffic log).</summary>
    public static WebApplication MapEmulator(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseHostPrefixedRoutes();
        app.UseMiddleware<EmulatorMiddleware>();
        app.MapImages();
        app.MapResponses();
        app.MapOpenRouter();
        app.MapComfyUI();
        app.MapStability();
        app.MapReplicate();
        app.MapEmulatorControl();
        app.MapLedger();
        app.MapFallback("/v1/{**path}", (HttpContext context) => InvalidUrl(context));
        app.MapFallback("/api/v1/{**path}", (HttpContext context) => InvalidUrl(context));
        return app;
    }

    private static Task InvalidUrl(HttpContext context) =>
        throw new ApiErrorException(new ApiError(404, $"Invalid URL ({context.Request.Method} {context.Request.Path})"));

    /// <summary>
    /// Run-time control for out-of-process users: <c>POST /emulator/faults/rate-limit?calls=N</c>,
    /// <c>POST /emulator/faults/mutate?seed=S&amp;calls=N</c>, <c>POST /emulator/faults/next?calls=N&amp;faults=…[&amp;path=/v1/…]</c>,
    /// <c>GET /emulator/traffic</c>, <c>GET /emulator/health</c>.
    /// </summary>
    private static void MapEmulatorControl(this WebApplication app)
    {
        app.MapGet("/emulator/health", () => Results.Ok(new { status = "ok" }));
        app.MapPost("/emulator/faults/rate-limit", (int calls, FaultState state) =>
        {
            state.RateLimitNextCalls(calls);
            return Results.Ok(new { rate_limit_remaining = state.RateLimitRemaining });
        });
        app.MapPost("/emulator/faults/mutate", (int seed, int calls, FaultState state) =>
        {
            state.MutateNextCalls(seed, calls);
            return Results.Ok(new { mutate_remaining = state.MutateRemaining });
        });
        app.MapPost("/emulator/faults/next", (int calls, string? faults, string? path, FaultState state) =>
            calls < 0 ? Results.Problem("calls must be 0 or more", statusCode: StatusCodes.Status400BadRequest)
            : state.ArmNextCalls(faults ?? "", calls, path) is { } error ? Results.Problem(error, statusCode: StatusCodes.Status400BadRequest)
            : Results.Ok(new { armed = state.Armed }));
        app.MapGet("/emulator/traffic", (EmulatorTrafficLog traffic) => Results.Ok(traffic.Events));
    }
}

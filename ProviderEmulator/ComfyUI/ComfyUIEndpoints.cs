using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProviderEmulator.Hosting;
using ProviderEmulator.Rendering;

namespace ProviderEmulator.ComfyUI;

/// <summary>
/// A ComfyUI server under <c>/comfyui</c>: <c>POST /prompt</c> (validated, queued), <c>GET /prompt</c>, <c>/ws?clientId=</c>
/// (progress, previews, results), <c>GET /history[/{prompt_id}]</c>, <c>GET /view</c>, <c>POST /interrupt</c>,
/// <c>GET|POST /queue</c>, with ComfyUI's JSON shapes and status codes.
/// </summary>
internal static class ComfyUIEndpoints
{
    public const string Prefix = "/comfyui";

    public static WebApplication MapComfyUI(this WebApplication app)
    {
        var services = app.Services;
        var sockets = new ComfyUISockets();
        var history = new ComfyUIHistory();
        var executor = new ComfyUIExecutor(services.GetRequiredService<ImageStudio>(), services.GetRequiredService<EmulatorOptions>().ComfyUI, sockets, history,
            services.GetRequiredService<TimeProvider>());
        var queue = new ComfyUIQueue(executor, sockets, services.GetRequiredService<ILogger<ComfyUIQueue>>(), app.Lifetime.ApplicationStopping);

        app.UseWhen(context => context.Request.Path.StartsWithSegments(Prefix), branch => branch.UseMiddleware<ComfyUIMiddleware>());
        app.UseWebSockets();
        var comfy = app.MapGroup(Prefix);
        comfy.MapPost("/prompt", (Func<HttpContext, Task<IResult>>)(context => QueuePromptAsync(context, queue)));
        comfy.MapGet("/prompt", () => Json(queue.Info));
        comfy.Map("/ws", (HttpContext context) => SocketAsync(context, queue, sockets));
        comfy.MapGet("/history", (int? max_items) => Json(history.Get(maxItems: max_items)));
        comfy.MapGet("/history/{promptId}", (string promptId) => Json(history.Get(promptId)));
        comfy.MapGet("/view", (string filename, string? subfolder, string? type) =>
            history.File(type ?? "output", subfolder ?? "", filename) is { } bytes ? Results.File(bytes, "image/png") : Results.NotFound());
        comfy.MapGet("/queue", () => Json(queue.Snapshot()));
        comfy.MapPost("/queue", async (HttpContext context) =>
        {
            var body = await ReadObjectAsync(context);
            if (body?["clear"] is JsonValue clear && clear.GetValueKind() == JsonValueKind.True)
            {
                queue.Delete(_ => true);
            }
            if (body?["delete"] is JsonArray ids)
            {
                var delete = ids.Select(i => i?.ToString()).ToHashSet(StringComparer.Ordinal);
                queue.Delete(p => delete.Contains(p.Id));
            }
            return Results.Ok();
        });
        comfy.MapPost("/interrupt", async (HttpContext context) =>
        {
            var body = await ReadObjectAsync(context);
            queue.Interrupt(body?["prompt_id"] is JsonValue id && id.TryGetValue<string>(out var promptId) ? promptId : null);
            return Results.Ok();
        });
        return app;
    }

    private static async Task<IResult> QueuePromptAsync(HttpContext context, ComfyUIQueue queue)
    {
        var body = await ReadObjectAsync(context);
        if (body?["prompt"] is not JsonObject workflow)
        {
            var error = new JsonObject { ["type"] = "no_prompt", ["message"] = "No prompt provided", ["details"] = "No prompt provided", ["extra_info"] = new JsonObject() };
            return Json(new JsonObject { ["error"] = error, ["node_errors"] = new JsonObject() }, 400);
        }
        var validation = WorkflowValidator.Validate(workflow);
        if (validation.Error is not null)
        {
            return Json(validation.Body, 400);
        }
        var faults = EmulatorRequest.Get(context).Faults;
        if (faults.MalformedJson)
        {
            return Results.Text("{\"prompt_id\": \"", "application/json");
        }
        var clientId = body["client_id"] is JsonValue client && client.TryGetValue<string>(out var text) ? text : "";
        var prompt = queue.Enqueue(workflow.DeepClone().AsObject(), WorkflowJob.Read(workflow, validation.Outputs), validation.Outputs, clientId, faults);
        return Json(new JsonObject { ["prompt_id"] = prompt.Id, ["number"] = prompt.Number, ["node_errors"] = new JsonObject() });
    }

    private static async Task SocketAsync(HttpContext context, ComfyUIQueue queue, ComfyUISockets sockets)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("Expected a websocket request.", context.RequestAborted);
            return;
        }
        var clientId = context.Request.Query["clientId"].ToString() is { Length: > 0 } id ? id : Guid.NewGuid().ToString("N");
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var session = sockets.Open(clientId, socket, context);
        try
        {
            await sockets.SendAsync(clientId, "status", new JsonObject { ["status"] = queue.Info, ["sid"] = clientId });
            var buffer = new byte[4096];
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await session.CloseAsync();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client dropped the socket (or the emulator cut it): nothing left to say.
        }
        finally
        {
            sockets.Close(clientId, session);
        }
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Json(JsonObject body, int status = 200) =>
        Results.Text(EmulatorJson.Serialize(body), "application/json; charset=utf-8", statusCode: status);
}

using System.Text.Json.Nodes;
using Pipeline.Imaging;
using ProviderEmulator.Faults;
using ProviderEmulator.Hosting;
using ProviderEmulator.OpenAI.Images;
using ProviderEmulator.Rendering;
using ProviderEmulator.Sse;

namespace ProviderEmulator.OpenAI.Responses;

/// <summary>POST /v1/responses with the image_generation tool, non-streamed and streamed.</summary>
internal static class ResponsesEndpoints
{
    public static IEndpointRouteBuilder MapResponses(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/responses", HandleAsync);
        return routes;
    }

    private static async Task HandleAsync(HttpContext context, ImageStudio studio, ResponseStore store)
    {
        var request = ResponsesRequest.Parse(await ImageRequestReader.ReadJsonAsync(context.Request), store);
        var faults = EmulatorRequest.Get(context).Faults;
        if (faults.ContentPolicy && !request.Stream)
        {
            throw new ApiErrorException(FaultErrors.ContentPolicyOpenAI(dallE: false));
        }

        var builder = new ResponseBuilder(request, EmulatorJson.NewId("resp_"), EmulatorJson.NewId("ig_"), EmulatorJson.NewId("msg_"), EmulatorJson.UnixNow());
        var spec = request.Tool is { } tool ? SpecFor(request, tool) : null;
        if (request.Stream)
        {
            await StreamAsync(context, request, builder, spec, studio, store);
            return;
        }

        var output = new JsonArray();
        if (request.GeneratesImage)
        {
            var image = Final(studio, spec!, faults);
            store.Add(builder.ResponseId, builder.CallId, image);
            output.Add(builder.CallItem("completed", image));
        }

        output.Add(builder.MessageItem("completed", ResponseBuilder.AssistantText));
        await JsonReply.WriteAsync(context, builder.Response("completed", output, withUsage: true));
    }

    private static async Task StreamAsync(
        HttpContext context, ResponsesRequest request, ResponseBuilder builder, ImageSpec? spec, ImageStudio studio, ResponseStore store)
    {
        var faults = EmulatorRequest.Get(context).Faults;
        var sse = await SseWriter.StartAsync(context);
        var sequence = 0;

        Task Emit(string type, JsonObject fields)
        {
            var data = new JsonObject { ["type"] = type };
            fields["sequence_number"] = sequence++;
            foreach (var (key, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal).ToList())
            {
                fields.Remove(key);
                data[key] = value;
            }

            return sse.EventAsync(type, data);
        }

        await Emit("response.created", new JsonObject { ["response"] = builder.Response("in_progress", [], withUsage: false) });
        await Emit("response.in_progress", new JsonObject { ["response"] = builder.Response("in_progress", [], withUsage: false) });

        var output = new JsonArray();
        var messageIndex = 0;
        if (request.GeneratesImage)
        {
            var tool = request.Tool!;
            var ids = new JsonObject { ["item_id"] = builder.CallId, ["output_index"] = 0 };
            await Emit("response.output_item.added", new JsonObject { ["item"] = builder.CallItem("in_progress", null), ["output_index"] = 0 });
            await Emit("response.image_generation_call.in_progress", (JsonObject)ids.DeepClone());
            await Emit("response.image_generation_call.generating", (JsonObject)ids.DeepClone());
            if (faults.ContentPolicy)
            {
                var policy = FaultErrors.ContentPolicyOpenAI(dallE: false);
                await Emit("response.failed", new JsonObject { ["response"] = builder.Response("failed", [], withUsage: false, new JsonObject { ["code"] = policy.Code, ["message"] = policy.Message }) });
                return;
            }

            for (var index = 0; index < tool.PartialImages; index++)
            {
                await sse.PauseAsync();
                var partial = new JsonObject
                {
                    ["background"] = tool.ConcreteBackground,
                    ["item_id"] = builder.CallId,
                    ["output_format"] = tool.Format.ToOutputFormat(),
                    ["output_index"] = 0,
                    ["partial_image_b64"] = Convert.ToBase64String(studio.Partial(spec!, index, tool.PartialImages)),
                    ["partial_image_index"] = index,
                    ["quality"] = tool.ConcreteQuality,
                    ["size"] = tool.ConcreteSize,
                };
                if (faults.MalformedJson)
                {
                    partial["sequence_number"] = sequence++;
                    var broken = EmulatorJson.Serialize(new JsonObject { ["type"] = "response.image_generation_call.partial_image" }).TrimEnd('}') + ",\"item_id\":";
                    await sse.RawEventAsync("response.image_generation_call.partial_image", broken);
                }
                else
                {
                    await Emit("response.image_generation_call.partial_image", partial);
                }

                if (index == 0 && await InjectAsync(sse, faults, builder, Emit, () => sequence))
                {
                    return;
                }
            }

            await sse.PauseAsync();
            if (tool.PartialImages == 0 && await InjectAsync(sse, faults, builder, Emit, () => sequence))
            {
                return;
            }

            var image = Final(studio, spec!, faults);
            store.Add(builder.ResponseId, builder.CallId, image);
            await Emit("response.image_generation_call.completed", (JsonObject)ids.DeepClone());
            await Emit("response.output_item.done", new JsonObject { ["item"] = builder.CallItem("completed", image), ["output_index"] = 0 });
            output.Add(builder.CallItem("completed", image));
            messageIndex = 1;
        }

        var text = ResponseBuilder.AssistantText;
        await Emit("response.output_item.added", new JsonObject { ["item"] = builder.MessageItem("in_progress", null), ["output_index"] = messageIndex });
        await Emit("response.content_part.added", new JsonObject
        {
            ["content_index"] = 0,
            ["item_id"] = builder.MessageId,
            ["output_index"] = messageIndex,
            ["part"] = ResponseBuilder.TextPart(""),
        });
        foreach (var delta in Words(text))
        {
            await Emit("response.output_text.delta", new JsonObject
            {
                ["content_index"] = 0,
                ["delta"] = delta,
                ["item_id"] = builder.MessageId,
                ["logprobs"] = new JsonArray(),
                ["obfuscation"] = "emul",
                ["output_index"] = messageIndex,
            });
        }

        await Emit("response.output_text.done", new JsonObject
        {
            ["content_index"] = 0,
            ["item_id"] = builder.MessageId,
            ["logprobs"] = new JsonArray(),
            ["output_index"] = messageIndex,
            ["text"] = text,
        });
        await Emit("response.content_part.done", new JsonObject
        {
            ["content_index"] = 0,
            ["item_id"] = builder.MessageId,
            ["output_index"] = messageIndex,
            ["part"] = ResponseBuilder.TextPart(text),
        });
        await Emit("response.output_item.done", new JsonObject { ["item"] = builder.MessageItem("completed", text), ["output_index"] = messageIndex });
        output.Add(builder.MessageItem("completed", text));
        await Emit("response.completed", new JsonObject { ["response"] = builder.Response("completed", output, withUsage: true) });
    }

    /// <summary>Mid-stream faults: error event (flat or nested), response.failed, or a cut connection. True when the stream ended.</summary>
    private static async Task<bool> InjectAsync(SseWriter sse, FaultPlan faults, ResponseBuilder builder, Func<string, JsonObject, Task> emit, Func<int> sequence)
    {
        if (faults.CutStream)
        {
            await sse.CutAsync();
            return true;
        }

        if (faults.ResponseFailed)
        {
            var error = new JsonObject { ["code"] = "server_error", ["message"] = "The server had an error while processing your request. Sorry about that!" };
            await emit("response.failed", new JsonObject { ["response"] = builder.Response("failed", [], withUsage: false, error) });
            return true;
        }

        if (!faults.MidStreamError)
        {
            return false;
        }

        if (faults.NestedErrorEvent)
        {
            await sse.EventAsync("error", new JsonObject
            {
                ["type"] = "error",
                ["sequence_number"] = sequence(),
                ["error"] = new JsonObject { ["type"] = "too_many_requests", ["code"] = "too_many_requests", ["message"] = "Too Many Requests", ["param"] = null },
            });
        }
        else
        {
            await emit("error", new JsonObject
            {
                ["code"] = "server_error",
                ["message"] = "The server had an error while processing your request. Sorry about that!",
                ["param"] = null,
            });
        }

        return true;
    }

    private static ImageSpec SpecFor(ResponsesRequest request, ImageTool tool)
    {
        var (width, height) = tool.Dimensions;
        var edit = EditInput.FromFirstImage(request.InputImages, "input");

        return new ImageSpec(request.Prompt, width, height, 0, tool.ConcreteBackground == "transparent", tool.Format, tool.Compression, edit);
    }

    private static byte[] Final(ImageStudio studio, ImageSpec spec, FaultPlan faults)
    {
        var image = studio.Final(spec);
        return faults.OversizedImageBytes > 0 ? ImagePadding.PadTo(image, spec.Format, faults.OversizedImageBytes) : image;
    }

    private static IEnumerable<string> Words(string text)
    {
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            yield return i == 0 ? words[i] : " " + words[i];
        }
    }
}

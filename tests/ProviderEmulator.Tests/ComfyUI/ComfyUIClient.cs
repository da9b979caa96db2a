using System.Buffers.Binary;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using ProviderEmulator.Faults;

namespace ProviderEmulator.Tests.ComfyUI;

/// <summary>A test client of the emulator's ComfyUI: a websocket for one client id and the HTTP API, with small workflows.</summary>
internal sealed class ComfyUIClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    private ComfyUIClient(RunningEmulator emulator, string? fault)
    {
        Http = new HttpClient { BaseAddress = new Uri(emulator.BaseAddress, "comfyui/"), Timeout = TestTimeouts.Default };
        if (fault is not null)
        {
            Http.DefaultRequestHeaders.Add(FaultParser.HeaderName, fault);
        }
    }

    public string ClientId { get; } = Guid.NewGuid().ToString("N");

    public HttpClient Http { get; }

    /// <summary>
    /// Opens the websocket first, as a ComfyUI client must, and waits for the greeting <c>status</c>: only then does the
    /// emulator know the socket, so a prompt queued afterwards is heard from its first message.
    /// </summary>
    public static async Task<ComfyUIClient> ConnectAsync(RunningEmulator emulator, string? fault = null)
    {
        var client = new ComfyUIClient(emulator, fault);
        var address = new UriBuilder(emulator.BaseAddress) { Scheme = "ws", Path = "/comfyui/ws", Query = "clientId=" + client.ClientId }.Uri;
        await client._socket.ConnectAsync(address, TestTimeouts.Token()).DefaultTimeout();
        client.Greeting = await client.ReceiveAsync();
        return client;
    }

    /// <summary>The first message the emulator sent on the socket.</summary>
    public (string Type, JsonObject Data, byte[] Image) Greeting { get; private set; }

    /// <summary>An SD1.5-style text-to-image workflow (7 nodes, SaveImage "9").</summary>
    public static JsonObject Workflow(int steps = 4, int width = 128, int height = 96, int batch = 1, string text = "a lighthouse") => new()
    {
        ["3"] = Node("KSampler", new JsonObject
        {
            ["seed"] = 5, ["steps"] = steps, ["cfg"] = 8, ["sampler_name"] = "euler", ["scheduler"] = "normal", ["denoise"] = 1,
            ["model"] = Link("4"), ["positive"] = Link("6"), ["negative"] = Link("7"), ["latent_image"] = Link("5"),
        }),
        ["4"] = Node("CheckpointLoaderSimple", new JsonObject { ["ckpt_name"] = "v1-5-pruned-emaonly.safetensors" }),
        ["5"] = Node("EmptyLatentImage", new JsonObject { ["width"] = width, ["height"] = height, ["batch_size"] = batch }),
        ["6"] = Node("CLIPTextEncode", new JsonObject { ["text"] = text, ["clip"] = Link("4", 1) }),
        ["7"] = Node("CLIPTextEncode", new JsonObject { ["text"] = "bad hands", ["clip"] = Link("4", 1) }),
        ["8"] = Node("VAEDecode", new JsonObject { ["samples"] = Link("3"), ["vae"] = Link("4", 2) }),
        ["9"] = Node("SaveImage", new JsonObject { ["filename_prefix"] = "test", ["images"] = Link("8") }),
    };

    /// <summary>POST /prompt with this client's id.</summary>
    public Task<HttpResponseMessage> QueueAsync(JsonObject workflow) =>
        Http.PostAsync("prompt", new StringContent(new JsonObject { ["prompt"] = workflow, ["client_id"] = ClientId }.ToJsonString(), Encoding.UTF8, "application/json"));

    /// <summary>The next message: (type, data) for text, ("preview", {image_type}) plus the image for binary frames.</summary>
    public async Task<(string Type, JsonObject Data, byte[] Image)> ReceiveAsync()
    {
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, TestTimeouts.Token()).DefaultTimeout();
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        var bytes = message.ToArray();
        if (result.MessageType == WebSocketMessageType.Binary)
        {
            Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(bytes));
            return ("preview", new JsonObject { ["image_type"] = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4)) }, bytes[8..]);
        }
        var json = JsonNode.Parse(bytes)!.AsObject();
        return (json["type"]!.GetValue<string>(), json["data"]!.AsObject(), []);
    }

    /// <summary>Messages until <c>executing</c> with node null for <paramref name="promptId"/>, that one included.</summary>
    public async Task<List<(string Type, JsonObject Data, byte[] Image)>> ReceiveRunAsync(string promptId)
    {
        var messages = new List<(string, JsonObject, byte[])>();
        while (true)
        {
            var message = await ReceiveAsync();
            messages.Add(message);
            if (message.Type == "executing" && message.Data["node"] is null && message.Data["prompt_id"]?.GetValue<string>() == promptId)
            {
                return messages;
            }
        }
    }

    public async Task<JsonObject> GetJsonAsync(string path) =>
        (await Http.GetFromJsonAsync<JsonObject>(path, TestTimeouts.Token()).DefaultTimeout())!;

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        Http.Dispose();
        await Task.CompletedTask;
    }

    private static JsonObject Node(string classType, JsonObject inputs) => new() { ["class_type"] = classType, ["inputs"] = inputs };

    private static JsonArray Link(string node, int slot = 0) => new(node, slot);
}

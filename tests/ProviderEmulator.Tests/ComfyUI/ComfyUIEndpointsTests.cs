using System.Net;
using System.Text.Json.Nodes;
using Pipeline.Imaging;
using ProviderEmulator.Hosting;
using ProviderEmulator.Tests.Support;

namespace ProviderEmulator.Tests.ComfyUI;

public sealed class ComfyUIEndpointsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private RunningEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task Prompt_ValidWorkflow_StreamsProgressAndPreviewsThenSavesTheImages()
    {
        await using var client = await ComfyUIClient.ConnectAsync(Emulator);
        var status = client.Greeting;
        Assert.Equal(("status", client.ClientId), (status.Type, status.Data["sid"]!.GetValue<string>()));

        using var queued = await client.QueueAsync(ComfyUIClient.Workflow(steps: 4, width: 128, height: 96)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, queued.StatusCode);
        var reply = JsonNode.Parse(await queued.Content.ReadAsStringAsync(TestTimeouts.Token()))!;
        var promptId = reply["prompt_id"]!.GetValue<string>();
        Assert.Empty(reply["node_errors"]!.AsObject());
        var run = await client.ReceiveRunAsync(promptId);

        var types = run.Where(m => m.Type != "status").Select(m => m.Type).ToList();
        Assert.Equal(["execution_start", "execution_cached"], types.Take(2));
        Assert.Equal(["execution_success", "executing"], types.TakeLast(2));
        Assert.Equal(["4", "6", "7", "5", "3", "8", "9"], run.Where(m => m.Type == "executing" && m.Data["node"] is not null).Select(m => m.Data["node"]!.GetValue<string>()));
        Assert.Equal([1, 2, 3, 4], run.Where(m => m.Type == "progress").Select(m => m.Data["value"]!.GetValue<int>()));
        var previews = run.Where(m => m.Type == "preview").ToList();
        Assert.Equal(4, previews.Count);
        Assert.All(previews, p => Assert.Equal((1u, ImageFormat.Jpeg, 128, 96),
            (p.Data["image_type"]!.GetValue<uint>(), ImageInspector.Inspect(p.Image).Format, ImageInspector.Inspect(p.Image).Width, ImageInspector.Inspect(p.Image).Height)));
        Assert.Equal(4, previews.Select(p => Convert.ToHexString(p.Image)).Distinct().Count());
        var executed = run.Single(m => m.Type == "executed");
        var saved = executed.Data["output"]!["images"]![0]!;
        Assert.Equal(("9", "output", ""), (executed.Data["node"]!.GetValue<string>(), saved["type"]!.GetValue<string>(), saved["subfolder"]!.GetValue<string>()));

        var history = (await client.GetJsonAsync($"history/{promptId}"))[promptId]!;
        Assert.Equal(("success", true), (history["status"]!["status_str"]!.GetValue<string>(), history["status"]!["completed"]!.GetValue<bool>()));
        Assert.Equal(saved.ToJsonString(), history["outputs"]!["9"]!["images"]![0]!.ToJsonString());
        var filename = saved["filename"]!.GetValue<string>();
        Assert.Matches(@"^test_\d{5}_\.png$", filename);
        var image = await client.Http.GetByteArrayAsync($"view?filename={filename}&subfolder=&type=output", TestTimeouts.Token()).DefaultTimeout();
        Assert.Equal((ImageFormat.Png, 128, 96), (ImageInspector.Inspect(image).Format, ImageInspector.Inspect(image).Width, ImageInspector.Inspect(image).Height));
    }

    [Fact]
    public async Task Prompt_BatchOfTwo_SavesTwoDifferentImages()
    {
        await using var client = await ComfyUIClient.ConnectAsync(Emulator);
        using var queued = await client.QueueAsync(ComfyUIClient.Workflow(steps: 2, batch: 2)).DefaultTimeout();
        var promptId = JsonNode.Parse(await queued.Content.ReadAsStringAsync(TestTimeouts.Token()))!["prompt_id"]!.GetValue<string>();

        await client.ReceiveRunAsync(promptId);

        var images = (await client.GetJsonAsync($"history/{promptId}"))[promptId]!["outputs"]!["9"]!["images"]!.AsArray();
        Assert.Equal(2, images.Count);
        var bytes = await Task.WhenAll(images.Select(i => client.Http.GetByteArrayAsync($"view?filename={i!["filename"]}&type=output"))).DefaultTimeout();
        Assert.NotEqual(bytes[0], bytes[1]);
    }

    [Fact]
    public async Task Prompt_StepsBelowMin_400WithNodeErrorsLikeComfyUI()
    {
        await using var client = await ComfyUIClient.ConnectAsync(Emulator);

        using var response = await client.QueueAsync(ComfyUIClient.Workflow(steps: 0)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()))!;
        Assert.Equal(("prompt_outputs_failed_validation", "Prompt outputs failed validation"),
            (body["error"]!["type"]!.GetValue<string>(), body["error"]!["message"]!.GetValue<string>()));
        var node = body["node_errors"]!["3"]!;
        Assert.Equal("KSampler", node["class_type"]!.GetValue<string>());
        Assert.Equal(["9"], node["dependent_outputs"]!.AsArray().Select(o => o!.GetValue<string>()));
        var error = Assert.Single(node["errors"]!.AsArray())!;
        Assert.Equal(("value_smaller_than_min", "Value 0 smaller than min of 1", "steps", "steps", 0),
            (error["type"]!.GetValue<string>(), error["message"]!.GetValue<string>(), error["details"]!.GetValue<string>(),
            error["extra_info"]!["input_name"]!.GetValue<string>(), error["extra_info"]!["received_value"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Prompt_UndeclaredInput_400NamingNodeAndInput()
    {
        await using var client = await ComfyUIClient.ConnectAsync(Emulator);
        var workflow = ComfyUIClient.Workflow();
        workflow["3"]!["inputs"]!["stepz"] = 10;

        using var response = await client.QueueAsync(workflow).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()))!["node_errors"]!["3"]!["errors"]![0]!;
        Assert.Equal(("invalid_input", "stepz"), (error["type"]!.GetValue<string>(), error["extra_info"]!["input_name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Prompt_NodeWithoutClassType_400InvalidPromptNamingTheNode()
    {
        await using var client = await ComfyUIClient.ConnectAsync(Emulator);
        var workflow = ComfyUIClient.Workflow();
        workflow["8"]!.AsObject().Remove("class_type");

        using var response = await client.QueueAsync(workflow).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()))!;
        Assert.Equal(("invalid_prompt", "Cannot execute because a node is missing the class_type property.", "Node ID '#8'"),
            (body["error"]!["type"]!.GetValue<string>(), body["error"]!["message"]!.GetValue<string>(), body["error"]!["details"]!.GetValue<string>()));
        Assert.Empty(body["node_errors"]!.AsObject());
    }

    [Fact]
    public async Task Interrupt_RunningPrompt_SendsExecutionInterruptedAndIsInTheTrafficLog()
    {
        await using var client = await ComfyUIClient.ConnectAsync(Emulator, fault: "partial-delay=200ms");
        using var queued = await client.QueueAsync(ComfyUIClient.Workflow(steps: 100)).DefaultTimeout();
        var promptId = JsonNode.Parse(await queued.Content.ReadAsStringAsync(TestTimeouts.Token()))!["prompt_id"]!.GetValue<string>();
        while ((await client.ReceiveAsync()).Type != "progress")
        {
        }

        using var interrupt = await client.Http.PostAsync("interrupt", new StringContent(new JsonObject { ["prompt_id"] = promptId }.ToJsonString()), TestTimeouts.Token()).DefaultTimeout();
        var run = await client.ReceiveRunAsync(promptId);

        Assert.Equal(HttpStatusCode.OK, interrupt.StatusCode);
        var interrupted = run.Single(m => m.Type == "execution_interrupted");
        Assert.Equal(("3", "KSampler"), (interrupted.Data["node_id"]!.GetValue<string>(), interrupted.Data["node_type"]!.GetValue<string>()));
        Assert.DoesNotContain(run, m => m.Type is "execution_success" or "executed");
        Assert.Contains(Emulator.Traffic.Events, e => e.Kind == EmulatorEventKind.RequestCompleted && e.Path == "/comfyui/interrupt" && e.Method == "POST");
        var history = (await client.GetJsonAsync($"history/{promptId}"))[promptId]!;
        Assert.Equal(("error", false), (history["status"]!["status_str"]!.GetValue<string>(), history["status"]!["completed"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Prompt_MidStreamErrorFault_SendsExecutionErrorAfterTheFirstPreview()
    {
        await using var client = await ComfyUIClient.ConnectAsync(Emulator, fault: "mid-stream-error");
        using var queued = await client.QueueAsync(ComfyUIClient.Workflow(steps: 4)).DefaultTimeout();
        var promptId = JsonNode.Parse(await queued.Content.ReadAsStringAsync(TestTimeouts.Token()))!["prompt_id"]!.GetValue<string>();

        var run = await client.ReceiveRunAsync(promptId);

        Assert.Single(run, m => m.Type == "preview");
        var error = run.Single(m => m.Type == "execution_error");
        Assert.Equal(("3", "KSampler", "torch.OutOfMemoryError"),
            (error.Data["node_id"]!.GetValue<string>(), error.Data["node_type"]!.GetValue<string>(), error.Data["exception_type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Prompt_StatusFault_AnswersWithThatStatus()
    {
        await using var client = await ComfyUIClient.ConnectAsync(Emulator, fault: "status=503");

        using var response = await client.QueueAsync(ComfyUIClient.Workflow()).DefaultTimeout();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(Emulator.Traffic.Events, e => e.Path == "/comfyui/prompt" && e.StatusCode == 503 && e.Faults == "status=503");
    }
}

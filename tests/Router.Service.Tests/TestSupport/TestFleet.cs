using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;
using Router.Service.Catalogue;
using RpcStatus = Google.Rpc.Status;

namespace Router.Service.Tests.TestSupport;

/// <summary>
/// What a router test talks to: the router (in-process) with the real Storage.Service over a temp data folder and
/// scripted adapters, registered under the service-discovery names <c>openai</c>, <c>openrouter</c>, <c>declarative</c>
/// and <c>comfyui</c>.
/// </summary>
internal sealed class TestFleet : IAsyncDisposable
{
    private readonly TempDirectory _data;

    private TestFleet(TempDirectory data, StorageHost storage, IReadOnlyDictionary<AdapterKind, ScriptedAdapter> adapters, RouterHost router)
    {
        _data = data;
        Storage = storage;
        Adapters = adapters;
        Router = router;
    }

    public StorageHost Storage { get; }

    /// <summary>The scripted adapter behind each adapter kind's service name.</summary>
    public IReadOnlyDictionary<AdapterKind, ScriptedAdapter> Adapters { get; }

    /// <summary>The adapter behind service name <c>openai</c>.</summary>
    public ScriptedAdapter OpenAI => Adapters[AdapterKind.OpenAI];

    /// <summary>The adapter behind service name <c>openrouter</c>.</summary>
    public ScriptedAdapter OpenRouter => Adapters[AdapterKind.OpenRouter];

    /// <summary>The adapter behind service name <c>comfyui</c> (workflow chunks).</summary>
    public ScriptedAdapter ComfyUI => Adapters[AdapterKind.ComfyUI];

    /// <summary>The adapter behind service name <c>declarative</c> (api_output_chunk chunks).</summary>
    public ScriptedAdapter Declarative => Adapters[AdapterKind.Declarative];

    public RouterHost Router { get; }

    public ImageGeneration.ImageGenerationClient Client => Router.Client;

    public static async Task<TestFleet> StartAsync(IDictionary<string, string?>? routerSettings = null, IDictionary<string, string?>? storageSettings = null)
    {
        var data = new TempDirectory("router-storage");
        var storage = await StorageHost.StartAsync(data.Path, storageSettings);
        var adapters = new Dictionary<AdapterKind, ScriptedAdapter>();
        var settings = new Dictionary<string, string?>();
        foreach (var kind in Enum.GetValues<AdapterKind>())
        {
            adapters[kind] = await ScriptedAdapter.StartAsync();
            settings[$"services:{kind.Name()}:grpc:0"] = adapters[kind].Address.ToString();
        }
        foreach (var (key, value) in routerSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var router = await RouterHost.StartAsync(adapters[AdapterKind.OpenAI].Address, storage.GrpcAddress, settings);
        return new TestFleet(data, storage, adapters, router);
    }

    /// <summary>Every adapter call, every adapter.</summary>
    public IReadOnlyList<AdapterCall> AdapterCalls => [.. Adapters.Values.SelectMany(a => a.Calls)];

    /// <summary>Calls Generate and reads the whole stream (bounded); the status is OK or the RpcException's.</summary>
    public async Task<GenerateResult> GenerateAsync(GenerateRequest request, TimeSpan? deadline = null, Metadata? headers = null)
    {
        using var call = Client.Generate(request, headers, deadline is { } d ? DateTime.UtcNow + d : null, TestContext.Current.CancellationToken);
        return await GenerateResult.ReadAsync(call).DefaultTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        await Router.DisposeAsync();
        foreach (var adapter in Adapters.Values)
        {
            await adapter.DisposeAsync();
        }
        await Storage.DisposeAsync();
        _data.Dispose();
    }
}

/// <summary>
/// The frames of a Generate stream and how it ended: <see cref="Status"/> is OK or the RpcException's, <see cref="RichStatus"/>
/// the <c>google.rpc.Status</c> the router sent with it (null when it sent none).
/// </summary>
internal sealed record GenerateResult(IReadOnlyList<GenerateFrame> Frames, Status Status, RpcStatus? RichStatus = null)
{
    public Accepted Accepted => Frames[0].Accepted ?? throw new InvalidOperationException($"the first frame is {Frames[0].FrameCase}, not Accepted");

    public IReadOnlyList<Partial> Partials => [.. Frames.Where(f => f.FrameCase == GenerateFrame.FrameOneofCase.Partial).Select(f => f.Partial)];

    public IReadOnlyList<Final> Finals => [.. Frames.Where(f => f.FrameCase == GenerateFrame.FrameOneofCase.Final).Select(f => f.Final)];

    public static async Task<GenerateResult> ReadAsync(AsyncServerStreamingCall<GenerateFrame> call)
    {
        var frames = new List<GenerateFrame>();
        try
        {
            await foreach (var frame in call.ResponseStream.ReadAllAsync())
            {
                frames.Add(frame);
            }
            return new GenerateResult(frames, Status.DefaultSuccess);
        }
        catch (RpcException ex)
        {
            return new GenerateResult(frames, ex.Status, ex.GetRpcStatus());
        }
    }

    /// <summary>The <typeparamref name="T"/> detail of <see cref="RichStatus"/>, or null.</summary>
    public T? Detail<T>() where T : class, Google.Protobuf.IMessage<T>, new() => RichStatus?.GetDetail<T>();

    /// <summary>Throws with the status unless the stream ended OK.</summary>
    public GenerateResult EnsureOk()
    {
        Assert.True(Status.StatusCode == StatusCode.OK, $"Generate ended with {Status}");
        return this;
    }
}

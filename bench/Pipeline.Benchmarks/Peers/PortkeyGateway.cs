using System.Diagnostics;
using Pipeline.Benchmarks.Probes;

namespace Pipeline.Benchmarks.Peers;

/// <summary>
/// Portkey's open-source AI gateway (npm <c>@portkey-ai/gateway</c>, installed by <c>bench/run</c>), run headless on a
/// loopback port and pointed at the emulator with <c>x-portkey-provider: openai</c> and <c>x-portkey-custom-host</c>.
/// </summary>
public sealed class PortkeyGateway : IAsyncDisposable
{
    private readonly Process _process;

    private PortkeyGateway(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The process id, for the memory sampler.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts <c>node build/start-server.js --port=N --headless</c> and waits until it answers HTTP.</summary>
    public static async Task<PortkeyGateway> StartAsync(string installDirectory, CancellationToken cancellationToken)
    {
        var script = Path.GetFullPath(Path.Combine(installDirectory, "node_modules", "@portkey-ai", "gateway", "build", "start-server.js"));
        if (!File.Exists(script))
        {
            throw new FileNotFoundException($"Portkey is not installed ({script}); run bench/run, which installs it with npm ci.");
        }
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("node", [script, $"--port={port}", "--headless"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NODE_ENV"] = "production";
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new PortkeyGateway(process, port);
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Portkey exited with code {process.ExitCode} before answering.");
            }
            try
            {
                using var response = await probe.GetAsync($"http://127.0.0.1:{port}/", cancellationToken);
                return gateway;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
        await gateway.DisposeAsync();
        throw new TimeoutException("Portkey did not answer within 60 s.");
    }

    /// <summary>Portkey forwarding to the emulator's OpenAI API with the emulator key.</summary>
    public BenchmarkTarget Target(Uri emulatorV1, string emulatorKey) => new(
        "portkey",
        new Uri($"http://127.0.0.1:{Port}/v1/"),
        "gpt-image-1",
        new Dictionary<string, string>
        {
            ["Authorization"] = $"Bearer {emulatorKey}",
            ["x-portkey-provider"] = "openai",
            ["x-portkey-custom-host"] = emulatorV1.ToString().TrimEnd('/'),
        });

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Threading.Channels;
using Gateway.Tests.TestSupport;

namespace Gateway.Tests.Interop;

/// <summary>
/// Runs imagegen_client.py (Debian's python3-grpcio) against a gRPC target. Its messages are generated from our .proto
/// files with Debian's protoc (protobuf-compiler, the same release as python3-protobuf). A missing python3, grpcio or
/// protoc fails the test with what to install; it never skips (.ci/run installs them).
/// </summary>
internal sealed class PythonImageGenClient : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private const string Protoc = "/usr/bin/protoc";
    private static readonly Lazy<Task<string>> s_generated = new(GenerateAsync);

    private readonly Process _process;
    private readonly Channel<JsonElement> _lines = Channel.CreateUnbounded<JsonElement>();
    private readonly List<string> _stderr = [];

    private PythonImageGenClient(Process process) => _process = process;

    /// <summary>Starts the client; read its JSON lines with <see cref="NextAsync"/>. <paramref name="apiKey"/> null sends none.</summary>
    public static async Task<PythonImageGenClient> StartAsync(Uri target, string? apiKey, params string[] arguments)
    {
        var generated = await s_generated.Value.DefaultTimeout();
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Interop", "imagegen_client.py"));
        start.ArgumentList.Add(generated);
        start.ArgumentList.Add($"{target.Host}:{target.Port}");
        start.ArgumentList.Add(apiKey ?? "-");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        var process = new Process { StartInfo = start };
        var client = new PythonImageGenClient(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                client._lines.Writer.TryComplete();
            }
            else if (e.Data.StartsWith('{'))
            {
                client._lines.Writer.TryWrite(JsonDocument.Parse(e.Data).RootElement.Clone());
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (client._stderr)
                {
                    client._stderr.Add(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return client;
    }

    /// <summary>The next JSON line the client printed (each frame as it arrived, then the "done" line).</summary>
    public async Task<JsonElement> NextAsync()
    {
        try
        {
            return await _lines.Reader.ReadAsync().AsTask().DefaultTimeout();
        }
        catch (ChannelClosedException)
        {
            await _process.WaitForExitAsync().DefaultTimeout();
            throw new InvalidOperationException($"imagegen_client.py ended (exit {_process.ExitCode}) without more output:{Environment.NewLine}{Stderr}");
        }
    }

    /// <summary>Every line up to and including the "done" one.</summary>
    public async Task<List<JsonElement>> ReadToEndAsync()
    {
        var lines = new List<JsonElement>();
        do
        {
            lines.Add(await NextAsync());
        }
        while (!lines[^1].TryGetProperty("done", out _));
        return lines;
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return string.Join(Environment.NewLine, _stderr);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync().DefaultTimeout();
        _process.Dispose();
    }

    /// <summary>protoc --python_out for generation.proto and media.proto, once per test run, into a temp folder.</summary>
    private static async Task<string> GenerateAsync()
    {
        if (!File.Exists(Python) || !File.Exists(Protoc))
        {
            throw new InvalidOperationException($"{Python} or {Protoc} is missing: install Debian's python3-grpcio, python3-protobuf and protobuf-compiler (.ci/run does).");
        }
        var protos = Metadata("ProtosRoot");
        var output = Path.Combine(Path.GetTempPath(), "gateway-tests-python-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(output);
        var start = new ProcessStartInfo(Protoc) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { $"-I{protos}", $"-I{Metadata("WellKnownProtosRoot")}", $"--python_out={output}", "imagegen/v1/generation.proto", "common/v1/media.proto" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().DefaultTimeout();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"protoc failed ({process.ExitCode}): {await stderr}");
        }
        return output;
    }

    private static string Metadata(string key) => typeof(PythonImageGenClient).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

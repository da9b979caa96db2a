using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Pipeline.Grpc.Tests.Infrastructure;

namespace Pipeline.Grpc.Tests.Interop;

/// <summary>
/// Runs a peer script: as a server (it prints <c>PORT n</c>, and is stopped by closing its stdin, then killed) or as a
/// client for one case (it prints one JSON line). A missing runtime fails the test; it never skips.
/// </summary>
public sealed class PeerProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_clientTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private PeerProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
    }

    public int Port { get; private set; }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts the peer's server and waits for the port it listens on (127.0.0.1).</summary>
    public static async Task<PeerProcess> StartServerAsync(InteropPeer peer)
    {
        var peerProcess = new PeerProcess(Start(peer, ["server"]));
        var line = await peerProcess._process.StandardOutput.ReadLineAsync().DefaultTimeout();
        if (line is null || !line.StartsWith("PORT ", StringComparison.Ordinal))
        {
            await peerProcess.DisposeAsync();
            throw new InvalidOperationException($"{peer} server did not report its port (got '{line}'). stderr: {peerProcess.Stderr}");
        }
        peerProcess.Port = int.Parse(line["PORT ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        return peerProcess;
    }

    /// <summary>Runs one client case against <paramref name="target"/> and returns the JSON it printed.</summary>
    public static async Task<JsonElement> RunClientAsync(InteropPeer peer, string target, string testCase, params string[] args)
    {
        await using var peerProcess = new PeerProcess(Start(peer, ["client", target, testCase, .. args]));
        var output = peerProcess._process.StandardOutput.ReadToEndAsync();
        try
        {
            await peerProcess._process.WaitForExitAsync().WaitAsync(s_clientTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{peer} client case '{testCase}' ran over {s_clientTimeout.TotalSeconds}s. stderr: {peerProcess.Stderr}");
        }
        var stdout = await output.DefaultTimeout();
        Assert.True(peerProcess._process.ExitCode == 0, $"{peer} client case '{testCase}' exited with {peerProcess._process.ExitCode}. stdout: {stdout} stderr: {peerProcess.Stderr}");
        var json = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"{peer} client case '{testCase}' printed nothing. stderr: {peerProcess.Stderr}");
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.StandardInput.Close();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(3));
            }
            catch (Exception ex) when (ex is TimeoutException or IOException or InvalidOperationException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        _process.Dispose();
    }

    private static Process Start(InteropPeer peer, IEnumerable<string> args)
    {
        if (!File.Exists(peer.Script))
        {
            throw new FileNotFoundException($"The {peer} peer script is missing.", peer.Script);
        }
        if (peer == InteropPeer.Node && !Directory.Exists(Path.Combine(Path.GetDirectoryName(peer.Script)!, "node_modules", "@grpc", "grpc-js")))
        {
            throw new InvalidOperationException($"@grpc/grpc-js is not installed: run 'npm ci' in {Path.GetDirectoryName(peer.Script)} (.ci/run does).");
        }
        var info = new ProcessStartInfo(peer.Executable, [peer.Script, .. args])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = Path.GetDirectoryName(peer.Script)!,
        };
        // grpc-core would otherwise pick up a proxy from the environment; interop stays on 127.0.0.1.
        info.Environment["no_grpc_proxy"] = "*";
        info.Environment.Remove("http_proxy");
        info.Environment.Remove("https_proxy");
        info.Environment.Remove("HTTP_PROXY");
        info.Environment.Remove("HTTPS_PROXY");
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {peer.Executable}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"The {peer} peer needs '{peer.Executable}', which is not installed. Run .ci/run (it installs python3-grpcio and runs npm ci).", ex);
        }
    }
}

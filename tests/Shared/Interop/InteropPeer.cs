using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Pipeline.Tests.Interop;

/// <summary>
/// Runs a case of an interop peer (tests/Interop/python/peer.py or tests/Interop/node/peer.js) against any endpoint of
/// the public gRPC API — the gateway in front of the fake router here, the Aspire fleet on 127.0.0.1:8081 in a fleet
/// test — and returns what it printed. It knows nothing of who serves the target. A missing python3, grpcio, protoc,
/// node or node_modules fails with what to install; it never skips (.ci/run installs them). Compiled into every test
/// project that sets <c>UsesInteropPeers</c> (tests/Directory.Build.props), with the RepoRoot, ProtosRoot and
/// WellKnownProtosRoot assembly metadata it reads.
/// </summary>
/// <param name="kind">Which peer.</param>
/// <param name="target">The gRPC endpoint as <c>host:port</c> (cleartext HTTP/2).</param>
/// <param name="apiKey">Sent as <c>authorization: Bearer …</c>; null sends no authorization.</param>
public sealed class InteropPeer(InteropPeerKind kind, string target, string? apiKey)
{
    private const string Python = "/usr/bin/python3";
    private const string Protoc = "/usr/bin/protoc";

    /// <summary>How long one case may take, start to exit: protoc, the peer's start and a streamed generation on 2 loaded cores.</summary>
    public static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(60);

    public InteropPeer(InteropPeerKind kind, Uri address, string? apiKey)
        : this(kind, $"{address.Host}:{address.Port}", apiKey)
    {
    }

    public InteropPeerKind Kind => kind;

    public string Target => target;

    /// <summary>
    /// Runs <paramref name="caseName"/> to its end (bounded by <see cref="CaseTimeout"/>) and returns its JSON lines.
    /// <paramref name="onObservation"/> sees each line the moment it arrives, e.g. to release a held stream.
    /// Throws when the peer fails (exit code, no "done" line), with its stderr.
    /// </summary>
    /// <param name="caseName">generate, list_configs, get_run, health_check, reflection_list, bad_size, deadline_1ms or cancel_mid_stream.</param>
    /// <param name="arguments">Case arguments (<c>name=value</c> on the peer's command line), e.g. config, partials, run_id.</param>
    /// <param name="onObservation">Called with each JSON line as it arrives, on the reader's thread.</param>
    public async Task<InteropCaseResult> RunAsync(string caseName, IReadOnlyDictionary<string, string>? arguments = null, Action<JsonElement>? onObservation = null)
    {
        using var process = new Process { StartInfo = StartInfo(caseName, arguments ?? new Dictionary<string, string>()) };
        var lines = new List<JsonElement>();
        var stderr = new StringBuilder();
        var stdoutClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                stdoutClosed.TrySetResult();
            }
            else if (e.Data.StartsWith('{'))
            {
                var line = JsonDocument.Parse(e.Data).RootElement.Clone();
                lock (lines)
                {
                    lines.Add(line);
                }
                onObservation?.Invoke(line);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Bounded(process.WaitForExitAsync(), caseName, lines, stderr);
            await Bounded(stdoutClosed.Task, caseName, lines, stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        List<JsonElement> printed;
        lock (lines)
        {
            printed = [.. lines];
        }
        if (process.ExitCode != 0 || printed.Count == 0 || !printed[^1].TryGetProperty("done", out _))
        {
            throw new InvalidOperationException($"{kind} peer, case '{caseName}' against {target}, ended with exit code {process.ExitCode} " +
                $"without a \"done\" line.{Environment.NewLine}stdout:{Environment.NewLine}{string.Join(Environment.NewLine, printed)}" +
                $"{Environment.NewLine}stderr:{Environment.NewLine}{stderr}");
        }
        var result = new InteropCaseResult(kind, caseName, printed[..^1], printed[^1]);
        TestContext.Current.TestOutputHelper?.WriteLine(result.ToString());
        return result;
    }

    /// <summary>Waits for <paramref name="task"/> at most <see cref="CaseTimeout"/>; a timeout names the call site and shows what the peer printed.</summary>
    private async Task Bounded(Task task, string caseName, List<JsonElement> lines, StringBuilder stderr, [CallerArgumentExpression(nameof(task))] string callSite = "")
    {
        try
        {
            await task.WaitAsync(CaseTimeout);
        }
        catch (TimeoutException ex)
        {
            string printed;
            lock (lines)
            {
                printed = string.Join(Environment.NewLine, lines.Select(l => l.GetRawText()));
            }
            string errors;
            lock (stderr)
            {
                errors = stderr.ToString();
            }
            throw new TimeoutException($"Timed out after {CaseTimeout.TotalSeconds} s: {callSite} ({kind} peer, case '{caseName}' against {target})." +
                $"{Environment.NewLine}stdout:{Environment.NewLine}{printed}{Environment.NewLine}stderr:{Environment.NewLine}{errors}", ex);
        }
    }

    private ProcessStartInfo StartInfo(string caseName, IReadOnlyDictionary<string, string> arguments)
    {
        var repo = Metadata("RepoRoot");
        ProcessStartInfo start;
        if (kind == InteropPeerKind.Python)
        {
            if (!File.Exists(Python) || !File.Exists(Protoc))
            {
                throw new InvalidOperationException($"{Python} or {Protoc} is missing: install Debian's python3-grpcio, python3-protobuf and protobuf-compiler (.ci/run does).");
            }
            start = new ProcessStartInfo(Python);
            start.ArgumentList.Add(Path.Combine(repo, "tests", "Interop", "python", "peer.py"));
            start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        }
        else
        {
            var folder = Path.Combine(repo, "tests", "Interop", "node");
            if (!Directory.Exists(Path.Combine(folder, "node_modules", "@grpc", "proto-loader")))
            {
                throw new InvalidOperationException($"{folder}/node_modules is missing: run `npm ci --prefix tests/Interop/node` (.ci/run does).");
            }
            start = new ProcessStartInfo("node");
            start.ArgumentList.Add(Path.Combine(folder, "peer.js"));
        }
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var argument in (string[])["--protos", Metadata("ProtosRoot"), "--include", Metadata("WellKnownProtosRoot"), target, apiKey ?? "-", caseName])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in arguments)
        {
            start.ArgumentList.Add($"{name}={value}");
        }
        return start;
    }

    private static string Metadata(string key) =>
        typeof(InteropPeer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

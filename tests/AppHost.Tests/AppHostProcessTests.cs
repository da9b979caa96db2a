using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using AppHost.Tests.Fleet;

namespace AppHost.Tests;

/// <summary>
/// The AppHost as users run it, <c>dotnet run --project AppHost</c> in its own process group (the dashboard and the
/// gateway on free ports), stopped the two ways a terminal stops it: Ctrl+C, and a kill of the AppHost itself.
/// </summary>
public sealed class AppHostProcessTests
{
    [Fact]
    public async Task SigIntToProcessGroup_RunningFleet_LeavesNoDcpDashboardOrService()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = await AppHostRun.StartHealthyAsync(ct).FleetStartupTimeout();

        run.Signal("-INT", $"-{run.ProcessGroup}");

        await run.WaitForNoSurvivorsAsync(TimeSpan.FromSeconds(45), ct).DefaultTimeout();
    }

    [Fact]
    public async Task SigKillOfAppHostProcess_RunningFleet_DcpStopsEverythingWithin30Seconds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = await AppHostRun.StartHealthyAsync(ct).FleetStartupTimeout();

        run.Signal("-KILL", run.AppHostPid.ToString(CultureInfo.InvariantCulture));

        await run.WaitForNoSurvivorsAsync(TimeSpan.FromSeconds(30), ct).DefaultTimeout();
    }

    /// <summary>One <c>dotnet run --project AppHost</c> and every process it led to.</summary>
    private sealed class AppHostRun : IAsyncDisposable
    {
        private readonly Process _run;
        private readonly StringBuilder _output = new();
        private readonly HashSet<int> _fleet = [];
        private readonly string _dataDirectory;

        private AppHostRun(Process run, string dataDirectory) => (_run, _dataDirectory) = (run, dataDirectory);

        /// <summary>The process group: <c>dotnet run</c> leads a session of its own.</summary>
        public int ProcessGroup => _run.Id;

        public int AppHostPid { get; private set; }

        public static async Task<AppHostRun> StartHealthyAsync(CancellationToken ct)
        {
            var repoRoot = AppHost.PipelineResourceExtensions.FindRepoRoot(AppContext.BaseDirectory);
            var configuration = typeof(AppHostProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
            var gatewayHttp = LoopbackPort.Free();
            // python3 puts dotnet run in a new session with Ctrl+C at its default (a background shell would leave it ignored).
            var start = new ProcessStartInfo("python3")
            {
                ArgumentList =
                {
                    "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])",
                    "dotnet", "run", "--project", "AppHost", "--no-build", "-c", configuration, "--no-launch-profile", "--",
                    $"--Gateway:HttpPort={gatewayHttp}", $"--Gateway:GrpcPort={LoopbackPort.Free()}",
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = repoRoot,
            };
            // What the launch profile would set, on free ports.
            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{LoopbackPort.Free()}";
            start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{LoopbackPort.Free()}";
            start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
            start.Environment["OPENAI_API_KEY"] = "";
            start.Environment["OPENROUTER_API_KEY"] = "";
            var dataDirectory = Directory.CreateTempSubdirectory("pipeline-run-").FullName;
            start.Environment["Pipeline__DataDirectory"] = dataDirectory;
            var run = new AppHostRun(Process.Start(start)!, dataDirectory);
            run._run.OutputDataReceived += (_, e) => run.Append(e.Data);
            run._run.ErrorDataReceived += (_, e) => run.Append(e.Data);
            run._run.BeginOutputReadLine();
            run._run.BeginErrorReadLine();
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
                while (!await IsHealthyAsync(http, $"http://127.0.0.1:{gatewayHttp}/health", ct))
                {
                    if (run._run.HasExited)
                    {
                        throw new InvalidOperationException($"dotnet run exited with {run._run.ExitCode}.{Environment.NewLine}{run.Output}");
                    }
                    await Task.Delay(500, ct);
                }
                run.CollectFleet();
                return run;
            }
            catch
            {
                await run.DisposeAsync();
                throw;
            }
        }

        public void Signal(string signal, string target)
        {
            using var kill = Process.Start("kill", [signal, "--", target]);
            kill.WaitForExit();
        }

        /// <summary>Fails unless every process of the fleet (AppHost, dcp, dashboard, services) is gone within <paramref name="limit"/>.</summary>
        public async Task WaitForNoSurvivorsAsync(TimeSpan limit, CancellationToken ct)
        {
            var deadline = DateTime.UtcNow + limit;
            while (_fleet.Any(ProcessTree.IsAlive) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, ct);
            }
            var survivors = _fleet.Where(ProcessTree.IsAlive).Select(pid => $"{pid} {ProcessTree.CommandLine(pid)}").ToList();
            Assert.True(survivors.Count == 0, $"still running {limit.TotalSeconds}s after the signal:{Environment.NewLine}{string.Join(Environment.NewLine, survivors)}");
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var pid in _fleet.Prepend(_run.Id).Where(ProcessTree.IsAlive))
            {
                try
                {
                    Process.GetProcessById(pid).Kill();
                }
                catch (ArgumentException)
                {
                }
            }
            await _run.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            _run.Dispose();
            Directory.Delete(_dataDirectory, recursive: true);
        }

        /// <summary>
        /// The AppHost (child of dotnet run), the DCP processes that monitor it (DCP detaches from it), and everything below
        /// them: the dashboard and each service's <c>dotnet run</c> and process.
        /// </summary>
        private void CollectFleet()
        {
            AppHostPid = ProcessTree.Children(_run.Id).Single(pid => ProcessTree.CommandLine(pid).Contains("AppHost", StringComparison.Ordinal));
            var dcp = ProcessTree.Find($"--monitor {AppHostPid}").Where(pid => ProcessTree.CommandLine(pid).Contains("dcp", StringComparison.Ordinal)).ToList();
            _fleet.UnionWith([AppHostPid, .. dcp, .. ProcessTree.Descendants([_run.Id, .. dcp])]);
            var commandLines = _fleet.Select(ProcessTree.CommandLine).ToList();
            Assert.Contains(commandLines, c => c.Contains("dcp run-controllers", StringComparison.Ordinal));
            Assert.Contains(commandLines, c => c.Contains("Aspire.Dashboard", StringComparison.Ordinal));
            foreach (var service in new[] { "Storage.Service", "ProviderEmulator", "OpenAI.Adapter", "OpenRouter.Adapter", "Router.Service", "Gateway" })
            {
                Assert.Contains(commandLines, c => c.EndsWith($"/{service}", StringComparison.Ordinal) || c.Contains($"/{service} ", StringComparison.Ordinal));
            }
        }

        private string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        private void Append(string? line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        private static async Task<bool> IsHealthyAsync(HttpClient http, string url, CancellationToken ct)
        {
            try
            {
                using var response = await http.GetAsync(url, ct);
                return response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                return false;
            }
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AppHost.Tests;

/// <summary>The AppHost as users run it: a real <c>dotnet AppHost.dll</c> process, stopped with Ctrl+C (SIGINT).</summary>
public sealed class AppHostProcessTests
{
    [Fact]
    public async Task SigInt_RunningFleet_StopsEveryProcessItStarted()
    {
        var ct = TestContext.Current.CancellationToken;
        var repoRoot = FindRepoRoot();
        var configuration = typeof(AppHost.PipelineResourceExtensions).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var dll = Path.Combine(repoRoot, "AppHost", "bin", configuration, "net10.0", "AppHost.dll");
        var gatewayHttp = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                dll,
                $"--Gateway:HttpPort={gatewayHttp}", $"--Gateway:GrpcPort={FreePort()}",
                $"--Dashboard:HttpPort={FreePort()}", $"--Dashboard:OtlpGrpcPort={FreePort()}", $"--Dashboard:OtlpHttpPort={FreePort()}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repoRoot,
        };
        start.Environment["OPENAI_API_KEY"] = "";
        start.Environment["OPENROUTER_API_KEY"] = "";
        start.Environment["PIPELINE_OTLP_ENDPOINT"] = "";
        var output = new StringBuilder();
        using var apphost = Process.Start(start)!;
        apphost.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        apphost.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        apphost.BeginOutputReadLine();
        apphost.BeginErrorReadLine();
        var fleet = new HashSet<int>();
        try
        {
            // The gateway is the last resource to start: once it is healthy, every process of the fleet is running.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await WaitUntilAsync(async () =>
            {
                try
                {
                    using var health = await http.GetAsync($"http://127.0.0.1:{gatewayHttp}/health", ct);
                    return health.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TestTimeouts.FleetStartup, () => Snapshot(output));
            fleet.UnionWith(Descendants(apphost.Id));
            Assert.True(fleet.Count >= 7, $"expected dashboard, storage, emulator, two adapters, router and gateway; found {fleet.Count} processes.{Environment.NewLine}{Snapshot(output)}");

            using (var kill = Process.Start("kill", ["-INT", apphost.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(ct).DefaultTimeout();
            }
            await apphost.WaitForExitAsync(ct).DefaultTimeout();
        }
        finally
        {
            if (!apphost.HasExited)
            {
                apphost.Kill(entireProcessTree: true);
            }
            foreach (var pid in fleet.Where(IsAlive))
            {
                Process.GetProcessById(pid).Kill();
            }
        }

        Assert.Equal(0, apphost.ExitCode);
        Assert.Contains("stopped", Snapshot(output), StringComparison.Ordinal);
        var survivors = fleet.Where(IsAlive).ToList();
        Assert.True(survivors.Count == 0, $"processes outlived the AppHost: {string.Join(", ", survivors)}");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the fleet did not become healthy within {timeout.TotalSeconds}s.{Environment.NewLine}{context()}");
            }
            await Task.Delay(500);
        }
    }

    /// <summary>Every process below <paramref name="root"/> (Linux <c>/proc/{pid}/stat</c>: field 4 is the parent pid).</summary>
    private static IReadOnlySet<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    parents[pid] = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                }
            }
        }
        var found = new HashSet<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in parents.Where(p => p.Value == parent).Select(p => p.Key))
            {
                if (found.Add(child))
                {
                    frontier.Enqueue(child);
                }
            }
        }
        return found;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Pipeline.sln not found above the test output.");
    }
}

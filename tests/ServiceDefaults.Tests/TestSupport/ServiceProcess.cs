using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace ServiceDefaults.Tests.TestSupport;

/// <summary>
/// A service of the fleet started by hand as its own process (as <see cref="ServiceHealthTests"/> and the internal-secret tests do), on loopback
/// ports, with the environment the AppHost would give it plus the test's own variables; killed on dispose.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, int httpPort, int grpcPort, string dataDirectory) =>
        (_process, HttpAddress, GrpcAddress, DataDirectory) = (process, new Uri($"http://127.0.0.1:{httpPort}"), new Uri($"http://127.0.0.1:{grpcPort}"), dataDirectory);

    /// <summary>The HTTP/1.1 endpoint.</summary>
    public Uri HttpAddress { get; }

    /// <summary>The h2c (gRPC) endpoint.</summary>
    public Uri GrpcAddress { get; }

    private string DataDirectory { get; }

    /// <summary>Starts <paramref name="service"/> (its project folder's name) and waits until <c>/health</c> answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(string service, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var dll = Path.Combine(RepoRoot(), service, "bin", BuildConfiguration(), "net10.0", service + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; the test project's ProjectReference builds it.");
        var (httpPort, grpcPort) = (FreePort(), FreePort());
        var dataDirectory = Path.Combine(Path.GetTempPath(), "pipeline-service-" + Guid.NewGuid().ToString("N"));
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{httpPort}";
        info.Environment["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{grpcPort}";
        info.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        info.Environment["Storage__DataDirectory"] = dataDirectory;
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new ServiceProcess(process, httpPort, grpcPort, dataDirectory);
        try
        {
            await started.WaitUntilHealthyAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        _process.Dispose();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private async Task WaitUntilHealthyAsync(CancellationToken ct)
    {
        using var http = new HttpClient();
        while (true)
        {
            Assert.False(_process.HasExited, $"The service exited with code {(_process.HasExited ? _process.ExitCode : 0)} before it was healthy.");
            try
            {
                using var response = await http.GetAsync(new Uri(HttpAddress, "/health"), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, ct);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string BuildConfiguration() =>
        typeof(ServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value!;

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Pipeline.sln not found above " + AppContext.BaseDirectory);
    }
}

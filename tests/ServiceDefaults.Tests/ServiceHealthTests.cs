using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace ServiceDefaults.Tests;

/// <summary>
/// Every service, started by hand as its own process, answers <c>grpc.health.v1.Health/Check</c> from a real gRPC
/// client (Debian's python3-grpcio) and <c>/health</c> over HTTP/1.1.
/// </summary>
public sealed class ServiceHealthTests
{
    private const string Python = "/usr/bin/python3";

    private const string CheckScript = """
        import sys, grpc
        channel = grpc.insecure_channel(sys.argv[1])
        check = channel.unary_unary("/grpc.health.v1.Health/Check")
        response = check(b"", timeout=10)
        print("status-bytes", response.hex())
        try:
            check(b"\x0a\x04nope", timeout=10)
        except grpc.RpcError as e:
            print("unknown", e.code().name)
        """;

    [Theory]
    [InlineData("Router.Service")]
    [InlineData("OpenAI.Adapter")]
    [InlineData("OpenRouter.Adapter")]
    [InlineData("Gateway")]
    [InlineData("Storage.Service")]
    public async Task HealthCheck_ServiceStartedByHand_ServingToPythonGrpcClient(string service)
    {
        var ct = TestContext.Current.CancellationToken;
        var (httpPort, grpcPort) = (FreePort(), FreePort());
        using var process = StartService(service, httpPort, grpcPort);
        try
        {
            using var http = new HttpClient();
            await WaitUntilHealthyAsync(http, httpPort, process, ct).WaitAsync(TimeSpan.FromSeconds(60), ct);

            var (exitCode, output) = await RunPythonAsync($"127.0.0.1:{grpcPort}", ct).WaitAsync(TimeSpan.FromSeconds(60), ct);

            Assert.True(exitCode == 0, output);
            Assert.Contains("status-bytes 0801", output);   // HealthCheckResponse { status: SERVING }
            Assert.Contains("unknown NOT_FOUND", output);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }
    }

    private static Process StartService(string service, int httpPort, int grpcPort)
    {
        var dll = Path.Combine(RepoRoot(), service, "bin", BuildConfiguration(), "net10.0", service + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; the test project's ProjectReference builds it.");
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{httpPort}";
        info.Environment["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{grpcPort}";
        info.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        info.Environment["Storage__DataDirectory"] = Path.Combine(Path.GetTempPath(), "pipeline-health-" + Guid.NewGuid().ToString("N"));
        // What the AppHost would inject and the gateway refuses to start without; nothing listens there, health needs no backend.
        info.Environment["services__router__grpc__0"] = "http://127.0.0.1:9";
        info.Environment["services__router__http__0"] = "http://127.0.0.1:9";
        info.Environment["services__storage__http__0"] = "http://127.0.0.1:9";
        info.Environment["Gateway__ApiKeys__0"] = "pk-health-test";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilHealthyAsync(HttpClient http, int port, Process process, CancellationToken ct)
    {
        while (true)
        {
            Assert.False(process.HasExited, $"The service exited with code {(process.HasExited ? process.ExitCode : 0)} before it was healthy.");
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/health", ct);
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

    private static async Task<(int ExitCode, string Output)> RunPythonAsync(string target, CancellationToken ct)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install Debian's python3-grpcio (bash .ci/run does).");
        var info = new ProcessStartInfo(Python, ["-c", CheckScript, target]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var python = Process.Start(info)!;
        var stdout = python.StandardOutput.ReadToEndAsync(ct);
        var stderr = python.StandardError.ReadToEndAsync(ct);
        await python.WaitForExitAsync(ct);
        return (python.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string BuildConfiguration() =>
        typeof(ServiceHealthTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value!;

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

using System.Diagnostics;
using ServiceDefaults.Tests.TestSupport;

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
        // What the AppHost would inject and the gateway refuses to start without; nothing listens there, health needs no backend.
        await using var process = await ServiceProcess.StartAsync(service, new Dictionary<string, string>
        {
            ["services__router__grpc__0"] = "http://127.0.0.1:9",
            ["services__router__http__0"] = "http://127.0.0.1:9",
            ["services__storage__http__0"] = "http://127.0.0.1:9",
            ["Gateway__ApiKeys__0"] = "pk-health-test",
        }, ct);

        var (exitCode, output) = await RunPythonAsync($"127.0.0.1:{process.GrpcAddress.Port}", ct).WaitAsync(TimeSpan.FromSeconds(60), ct);

        Assert.True(exitCode == 0, output);
        Assert.Contains("status-bytes 0801", output);   // HealthCheckResponse { status: SERVING }
        Assert.Contains("unknown NOT_FOUND", output);
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
}

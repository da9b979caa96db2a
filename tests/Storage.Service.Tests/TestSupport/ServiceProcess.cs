using System.Diagnostics;
using System.Net;
using Pipeline.Tests.Measurement;
using System.Text;
using Grpc.Net.Client;
using StorageClient = Pipeline.Contracts.Storage.V1.Storage.StorageClient;

namespace Storage.Service.Tests.TestSupport;

/// <summary>Storage.Service as a real child process (<c>dotnet Storage.Service.dll</c>) on loopback ports, for kill tests.</summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private ServiceProcess(Process process, StringBuilder output, int httpPort, int grpcPort)
    {
        _process = process;
        _output = output;
        HttpClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TestTimeouts.Default };
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 128 * 1024 * 1024,
            MaxSendMessageSize = 128 * 1024 * 1024,
        });
        Client = new StorageClient(Channel);
    }

    public HttpClient HttpClient { get; }

    public GrpcChannel Channel { get; }

    public StorageClient Client { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServiceProcess> StartAsync(string dataDirectory, params string[] settings)
    {
        var dll = FindServiceDll();
        var (httpPort, grpcPort) = (LoopbackPort.Free(), LoopbackPort.Free());
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add($"--Kestrel:Endpoints:http:Url=http://127.0.0.1:{httpPort}");
        start.ArgumentList.Add($"--Kestrel:Endpoints:grpc:Url=http://127.0.0.1:{grpcPort}");
        start.ArgumentList.Add($"--Storage:DataDirectory={dataDirectory}");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add("--" + setting);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceProcess(process, output, httpPort, grpcPort);
        try
        {
            await service.WaitHealthyAsync();
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
        return service;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync().DefaultTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        HttpClient.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitHealthyAsync()
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Storage.Service exited with {_process.ExitCode} before it was healthy:{Environment.NewLine}{Output}");
            }
            try
            {
                using var response = await HttpClient.GetAsync("/health").WaitAsync(TimeSpan.FromSeconds(2));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Storage.Service was not healthy within {TestTimeouts.Default.TotalSeconds} s:{Environment.NewLine}{Output}");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    /// <summary>The service's own build output (its runtimeconfig and appsettings sit beside it).</summary>
    private static string FindServiceDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        // tests/Storage.Service.Tests/bin/{Configuration}/{tfm}/
        var tfm = testBin.Name;
        var configuration = testBin.Parent!.Name;
        var repoRoot = testBin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(repoRoot, "Storage.Service", "bin", configuration, tfm, "Storage.Service.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Storage.Service.dll not found at {dll}; build the solution first");
    }
}

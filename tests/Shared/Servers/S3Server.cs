using System.Diagnostics;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Pipeline.Tests.Measurement;

namespace Pipeline.Tests.Servers;

/// <summary>
/// A real S3-compatible server for tests: s3rver (npm, pinned by deploy/local/s3rver/package-lock.json) under node on
/// 127.0.0.1 at a free port, storing in a temp folder, path-style, with its fixed key pair. One per test assembly
/// (<see cref="SharedServer{TServer}"/>); each test takes its own bucket from <see cref="NewBucketName"/>.
/// A missing node or node_modules fails with what to install; it never skips (.ci/run installs both). Compiled into
/// each test project that sets <c>UsesS3Server</c> (tests/Directory.Build.props), with the S3rverFolder metadata it reads.
/// </summary>
public sealed class S3Server : IAsyncLifetime, IStartableServer<S3Server>
{
    /// <summary>s3rver's built-in access key id.</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>s3rver's built-in secret key.</summary>
    public const string SecretKey = "S3RVER";

    /// <summary>How long node may take to start s3rver and answer on 2 loaded cores.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private const int StartAttempts = 3;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>Where s3rver keeps its buckets; removed on dispose.</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "s3rver-" + Guid.NewGuid().ToString("N"));

    /// <summary>The endpoint, e.g. http://127.0.0.1:41234/; set once started.</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    /// <summary>What s3rver printed (its errors), for failure messages.</summary>
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

    /// <summary>A bucket name no other test uses (s3rver buckets are folders; names are cheap).</summary>
    public static string NewBucketName() => "test-" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>The <c>Storage</c> settings of Storage.Service's S3 backend on this server and <paramref name="bucket"/>.</summary>
    public Dictionary<string, string?> StorageSettings(string bucket) => new()
    {
        ["Storage:BlobBackend"] = "S3",
        ["Storage:S3:ServiceUrl"] = ServiceUrl.ToString(),
        ["Storage:S3:Bucket"] = bucket,
        ["Storage:S3:AccessKey"] = AccessKey,
        ["Storage:S3:SecretKey"] = SecretKey,
    };

    /// <summary>An SDK client of this server (path-style, its key pair), for tests that look at the bucket directly.</summary>
    public AmazonS3Client CreateClient() => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = ServiceUrl.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>Starts s3rver; returns once it answers.</summary>
    public static async Task<S3Server> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new S3Server();
        await server.InitializeAsync();
        return server;
    }

    public async ValueTask InitializeAsync()
    {
        var script = FindScript();
        Directory.CreateDirectory(DataDirectory);
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.Free();
            _process = Start(script, port);
            if (await WaitAnsweringAsync(_process, port))
            {
                ServiceUrl = new Uri($"http://127.0.0.1:{port}/");
                return;
            }
            Kill();
            // The free port can be taken between the pick and node's bind; anything else fails every attempt alike.
            if (attempt == StartAttempts)
            {
                throw new InvalidOperationException(
                    $"s3rver did not answer on 127.0.0.1 within {StartTimeout.TotalSeconds} s ({StartAttempts} attempts). Its output:{Environment.NewLine}{Output}");
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held for a moment by the killed process; the temp folder is cleaned by the OS.
        }
        return ValueTask.CompletedTask;
    }

    private static string FindScript()
    {
        var folder = typeof(S3Server).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "S3rverFolder")?.Value
            ?? throw new InvalidOperationException("The test assembly has no S3rverFolder metadata; set UsesS3Server in its project (tests/Directory.Build.props).");
        if (FindOnPath("node") is null)
        {
            throw new InvalidOperationException("node is not installed; install Debian's nodejs and npm (bash .ci/run does), then npm ci --prefix deploy/local/s3rver.");
        }
        var script = Path.Combine(folder, "node_modules", "s3rver", "bin", "s3rver.js");
        return File.Exists(script)
            ? script
            : throw new InvalidOperationException($"{script} is missing; run: npm ci --prefix {folder} --no-audit --no-fund (bash .ci/run does).");
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    private Process Start(string script, int port)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider.
        foreach (var argument in new[] { "--openssl-legacy-provider", script, "--directory", DataDirectory, "--address", "127.0.0.1", "--port", port.ToString(), "--silent", "--no-vhost-buckets" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<bool> WaitAnsweringAsync(Process process, int port)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (!timeout.IsCancellationRequested && !process.HasExited)
        {
            try
            {
                // Any S3 answer (an anonymous ListBuckets is refused with 403) means the server is up.
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/", timeout.Token);
                return true;
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException)
            {
                await Task.Delay(50, CancellationToken.None);
            }
        }
        return false;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private void Kill()
    {
        if (_process is null)
        {
            return;
        }
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        _process = null;
    }
}

using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace AppHost.Tests.Deploy;

/// <summary>
/// Runs the built AppHost's manifest publisher once for the test class, configured as the cluster runs: the scaled profile
/// (<c>--scaled</c>), real providers (keys set, so no emulator), the ComfyUI server named, every secret the shipped
/// catalogue's chunks name set, and the catalogue read from a folder. Also reads <c>deploy/kubernetes/base</c>.
/// </summary>
public sealed partial class AspireManifestFixture : IAsyncLifetime
{
    /// <summary>Publishing builds the model and writes JSON: seconds, even on a loaded 2-core machine.</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(2);

    private string? _output;

    public string RepoRoot { get; } = AppHost.PipelineResourceExtensions.FindRepoRoot(AppContext.BaseDirectory);

    public string KubernetesFolder => Path.Combine(RepoRoot, "deploy", "kubernetes");

    public string BaseFolder => Path.Combine(KubernetesFolder, "base");

    public string ShippedCatalogue => Path.Combine(RepoRoot, "Router.Service", "catalogue-data");

    internal AspireManifest Manifest { get; private set; } = null!;

    internal KubernetesObjects Base { get; private set; } = null!;

    /// <summary>The secrets the shipped chunks' templates name (<c>{{STABILITY_API_KEY}}</c>), given to the declarative adapter.</summary>
    internal IReadOnlyList<string> CatalogueSecrets { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        CatalogueSecrets = [.. Directory.EnumerateFiles(Path.Combine(ShippedCatalogue, "chunks"), "*.json", SearchOption.AllDirectories)
            .SelectMany(f => SecretTemplate().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _output = Directory.CreateTempSubdirectory("pipeline-manifest-").FullName;
        Manifest = AspireManifest.Parse(await PublishAsync(_output, TestContext.Current.CancellationToken));
        Assert.True(Manifest.Resources.ContainsKey(AppHost.ScaledProfile.DatabaseName),
            $"the manifest has no {AppHost.ScaledProfile.DatabaseName}: the AppHost ignored {AppHost.ScaledProfile.Flag}, so this is not the scaled profile's model");
        Base = KubernetesObjects.Load(BaseFolder);
    }

    public ValueTask DisposeAsync()
    {
        if (_output is not null)
        {
            Directory.Delete(_output, recursive: true);
        }
        return ValueTask.CompletedTask;
    }

    private async Task<string> PublishAsync(string output, CancellationToken ct)
    {
        var configuration = typeof(AspireManifestFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var appHost = Path.Combine(RepoRoot, "AppHost", "bin", configuration, new DirectoryInfo(AppContext.BaseDirectory).Name, "AppHost.dll");
        Assert.True(File.Exists(appHost), $"the AppHost is not built at {appHost}; build tests/AppHost.Tests first");
        var manifest = Path.Combine(output, "aspire-manifest.json");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                appHost, "--publisher", "manifest", "--output-path", manifest,
                // Provider keys as the secret parameters themselves (a *_API_KEY variable would also reach the declarative adapter).
                "--Parameters:openai-api-key=manifest", "--Parameters:openrouter-api-key=manifest",
                "--COMFYUI_URL=http://comfyui-server:8188",
                "--PIPELINE_API_KEY=pk-manifest", "--PIPELINE_API_KEYS=",
                $"--Pipeline:DataDirectory={Path.Combine(output, "data")}",
                "--Pipeline:CatalogueDirectory=Router.Service/catalogue-data",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        foreach (var secret in CatalogueSecrets)
        {
            start.ArgumentList.Add($"--{secret}=manifest");
        }
        // Last: a switch with no value takes the next argument as its value in .NET configuration.
        start.ArgumentList.Add(AppHost.ScaledProfile.Flag);
        // The model reads these from the environment too; this machine's own must not change it.
        foreach (var name in start.Environment.Keys.Where(IsModelInput).ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the manifest publisher did not finish within {PublishTimeout.TotalSeconds}s: {start.FileName} {string.Join(' ', start.ArgumentList)}");
        }
        var log = $"{await stdout}{Environment.NewLine}{await stderr}";
        Assert.True(process.ExitCode == 0 && File.Exists(manifest), $"the manifest publisher exited with {process.ExitCode}:{Environment.NewLine}{log}");
        return await File.ReadAllTextAsync(manifest, ct);
    }

    private static bool IsModelInput(string name) =>
        SecretVariable().IsMatch(name) || name == AppHost.ChunkBackendExtensions.ComfyUIUrlKey
        || name.StartsWith("PIPELINE_", StringComparison.Ordinal)
        || name.StartsWith("Parameters__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Pipeline__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Gateway__", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[A-Z][A-Z0-9_]*_API_(KEY|TOKEN)$")]
    private static partial Regex SecretVariable();

    [GeneratedRegex(@"\{\{([A-Z][A-Z0-9_]*_API_(?:KEY|TOKEN))\}\}")]
    private static partial Regex SecretTemplate();
}

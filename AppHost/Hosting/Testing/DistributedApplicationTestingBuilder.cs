using System.Reflection;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Hosting;

namespace AppHost.Hosting.Testing;

/// <summary>
/// Like Aspire.Hosting.Testing: builders with test defaults — every port random (the gateway's too), the provider
/// emulator on (provider keys cleared), no dashboard and no OTLP export, child output kept in memory instead of echoed.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    /// <summary>Runs the AppHost's Program.cs up to <c>Build()</c> and returns its model, ready to modify and build.</summary>
    public static DistributedApplicationBuilder CreateFromAppHost(params string[] args) => CreateFromAppHost(args, _ => { });

    /// <summary>
    /// Like <see cref="CreateFromAppHost(string[])"/>; <paramref name="configureOptions"/> runs after the test defaults and
    /// before Program.cs declares the model, e.g. <c>o => o.DisableDashboard = false</c> to include the dashboard (on random ports).
    /// </summary>
    public static DistributedApplicationBuilder CreateFromAppHost(string[] args, Action<DistributedApplicationOptions> configureOptions)
    {
        var interceptor = new DistributedApplication.BuildInterceptor(builder =>
        {
            ApplyTestDefaults(builder);
            configureOptions(builder.Options);
        });
        var entryPoint = typeof(DistributedApplication).Assembly.EntryPoint
            ?? throw new InvalidOperationException("The AppHost assembly has no entry point.");
        var previous = DistributedApplication.Interceptor.Value;
        DistributedApplication.Interceptor.Value = interceptor;
        try
        {
            entryPoint.Invoke(null, [args]);
        }
        catch (TargetInvocationException e) when (e.InnerException is HostAbortedException && interceptor.Captured is not null)
        {
            return interceptor.Captured;
        }
        finally
        {
            DistributedApplication.Interceptor.Value = previous;
        }
        throw new InvalidOperationException("Program.cs returned without calling builder.Build().");
    }

    /// <summary>An empty model with the test defaults, for tests that declare their own resources.</summary>
    public static DistributedApplicationBuilder Create(params string[] args)
    {
        var builder = new DistributedApplicationBuilder(args);
        ApplyTestDefaults(builder);
        return builder;
    }

    private static void ApplyTestDefaults(DistributedApplicationBuilder builder)
    {
        // Under the command line (the last source), so a test can still pass real keys as arguments.
        var clearedKeys = new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "", ["OPENROUTER_API_KEY"] = "", ["PIPELINE_API_KEY"] = "" },
        };
        builder.Configuration.Sources.Insert(builder.Configuration.Sources.Count - 1, clearedKeys);
        builder.Options.RandomizePorts = true;
        builder.Options.OtlpEndpoint = null;
        builder.Options.DisableDashboard = true;
        builder.Options.EchoConsole = false;
        builder.Options.ShutdownTimeout = TimeSpan.FromSeconds(10);
    }
}

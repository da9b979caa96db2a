using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.Reliability.Fleet;

/// <summary>
/// Starts the AppHost's own model (Program.cs) through Aspire's testing builder for the program: the emulator in place
/// of every provider (keys cleared), a known API key, a temporary data folder, the gateway's per-key limits and the OpenAI
/// adapter's queue raised so the soak measures the fleet rather than the limiters, and the gateway on random loopback ports.
/// </summary>
public static class ReliabilityFleet
{
    /// <summary>The key the suite presents to the gateway.</summary>
    public const string ApiKey = "pk-reliability-local-only";

    /// <summary>Builds the model, starts it and waits until every resource is healthy (3 minutes at most).</summary>
    public static async Task<(DistributedApplication App, FleetUnderTest Fleet)> StartAsync(TextWriter log, CancellationToken cancellationToken)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("pipeline-reliability-").FullName;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--PIPELINE_API_KEY={ApiKey}", "--OPENAI_API_KEY=", "--OPENROUTER_API_KEY=", "--COMFYUI_URL=",
             "--Parameters:openai-api-key=", "--Parameters:openrouter-api-key=", $"--Pipeline:DataDirectory={dataDirectory}",
             // The gateway listens on its public ports itself (no proxy); free ones, so a fleet already on 8080/8081 is no obstacle.
             $"--Gateway:HttpPort={LoopbackPort.Free()}", $"--Gateway:GrpcPort={LoopbackPort.Free()}"],
            cancellationToken);
        // The services' console lines and Aspire's own progress would drown the suite's output.
        builder.Services.AddLogging(logging => logging.AddFilter("AppHost.Resources", LogLevel.Warning).AddFilter("Aspire.Hosting", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "gateway"))
            .WithEnvironment("Gateway__RateLimits__RequestsPerWindow", "1000000")
            .WithEnvironment("Gateway__RateLimits__ConcurrentStreams", "10000");
        // The soak's streams all go to the OpenAI adapter, whose cap (16 calls, 64 queued) would refuse most of 200.
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "openai"))
            .WithEnvironment("OpenAI__QueueLimit", "1000");
        var app = await builder.BuildAsync(cancellationToken);
        var fleet = new FleetUnderTest(app, ApiKey, dataDirectory);
        try
        {
            await app.StartAsync(cancellationToken);
            await fleet.WaitHealthyAsync(TimeSpan.FromMinutes(3), cancellationToken);
            return (app, fleet);
        }
        catch
        {
            log.WriteLine("the fleet did not start");
            await app.DisposeAsync();
            throw;
        }
    }
}

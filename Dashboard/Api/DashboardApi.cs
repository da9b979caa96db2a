using Dashboard.Telemetry;

namespace Dashboard.Api;

/// <summary>
/// The JSON API the page (and fleet tests) read, and the small internal API the AppHost pushes resource states and
/// console lines to. Shapes: see <see cref="ResourceView"/>, <see cref="TraceSummaryView"/>, <see cref="TraceView"/>,
/// <see cref="LogsView"/>, <see cref="ResourceUpdate"/>, <see cref="ConsoleLineUpdate"/>.
/// </summary>
public static class DashboardApi
{
    private const int DefaultTraceLimit = 100;
    private const int MaxTraceLimit = 1000;
    private const int DefaultLogLimit = 1000;
    private const int MaxLogLimit = 10_000;

    public static WebApplication MapDashboardApi(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/resources", (ResourceRegistry resources) => resources.List().Select(ToView));
        api.MapPost("/resources", ReportResources);
        api.MapPost("/console", AppendConsole);
        api.MapGet("/traces", (TraceStore traces, int? limit, string? service) =>
            traces.Recent(Math.Clamp(limit ?? DefaultTraceLimit, 1, MaxTraceLimit), string.IsNullOrEmpty(service) ? null : service)
                .Select(TraceViews.Summary));
        api.MapGet("/traces/{traceId}", (TraceStore traces, string traceId) =>
            traces.Get(traceId) is { } trace ? Results.Ok(TraceViews.Detail(trace)) : Results.NotFound());
        api.MapGet("/logs/{resource}", (LogStore logs, string resource, int? limit) =>
        {
            var (console, structured) = logs.Get(resource, Math.Clamp(limit ?? DefaultLogLimit, 1, MaxLogLimit));
            return new LogsView(resource, console, structured);
        });
        api.MapGet("/metrics/{resource}", (MetricCatalog metrics, string resource) => metrics.Get(resource));
        return app;
    }

    private static ResourceView ToView(RegisteredResource resource) => resource.Reported is { } r
        ? new ResourceView(r.Name, r.Type, "apphost", r.State, r.Health, r.Pid, r.ExitCode, r.Restarts, r.Endpoints, resource.Instances)
        : new ResourceView(resource.Name, "service", "telemetry", null, null, null, null, 0, [], resource.Instances);

    private static IResult ReportResources(ResourceRegistry resources, ResourceUpdate?[]? updates)
    {
        var errors = new List<string>();
        var states = new List<ResourceState>();
        foreach (var (entry, index) in (updates ?? []).Select((u, i) => (u, i)))
        {
            var update = entry ?? new ResourceUpdate(null, null, null, null, null, null, 0, null);
            var endpoints = update.Endpoints ?? [];
            if (string.IsNullOrWhiteSpace(update.Name))
            {
                errors.Add($"[{index}].name is required.");
            }
            if (string.IsNullOrWhiteSpace(update.State))
            {
                errors.Add($"[{index}].state is required (e.g. Running).");
            }
            if (endpoints.Any(e => string.IsNullOrWhiteSpace(e?.Name) || !Uri.TryCreate(e.Url, UriKind.Absolute, out _)))
            {
                errors.Add($"[{index}].endpoints: every endpoint needs a name and an absolute url.");
            }
            if (errors.Count == 0)
            {
                states.Add(new ResourceState(update.Name!, update.Type ?? "project", update.State!, update.Health, update.Pid, update.ExitCode,
                    update.Restarts, endpoints));
            }
        }
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["resources"] = [.. errors] });
        }
        resources.Report(states);
        return Results.NoContent();
    }

    private static IResult AppendConsole(LogStore logs, TimeProvider time, ConsoleLineUpdate?[]? lines)
    {
        var errors = (lines ?? []).Select((l, i) => string.IsNullOrWhiteSpace(l?.Resource) || l.Text is null ? $"[{i}] needs a resource and a text." : null)
            .OfType<string>().ToList();
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["console"] = [.. errors] });
        }
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var group in (lines ?? []).OfType<ConsoleLineUpdate>().GroupBy(l => l.Resource!, StringComparer.Ordinal))
        {
            logs.AddConsole(group.Key, group.Select(l => new ConsoleLineData(l.Timestamp?.ToUniversalTime() ?? now, l.Text!)));
        }
        return Results.NoContent();
    }
}

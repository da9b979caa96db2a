namespace Dashboard.Ui;

/// <summary>Serves the page (<c>/</c>, <c>/app.js</c>, <c>/app.css</c>) from resources embedded in the assembly.</summary>
public static class DashboardUi
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "Ui/index.html", "text/html; charset=utf-8"),
        ("/app.js", "Ui/app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "Ui/app.css", "text/css; charset=utf-8"),
    ];

    public static WebApplication MapDashboardUi(this WebApplication app)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            var bytes = Read(resource);
            app.MapGet(path, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Bytes(bytes, contentType);
            });
        }
        return app;
    }

    private static byte[] Read(string resource)
    {
        using var stream = typeof(DashboardUi).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The dashboard page resource '{resource}' is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

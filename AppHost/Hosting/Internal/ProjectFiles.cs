using System.Text.Json;

namespace AppHost.Hosting.Internal;

/// <summary>Finds a project's build output and the endpoints its appsettings declare (no Projects.* codegen here).</summary>
internal static class ProjectFiles
{
    /// <summary><c>{repoRoot}/{dir}/bin/{configuration}/net10.0/{dir}.dll</c>.</summary>
    public static string DllPath(DistributedApplicationOptions options, string projectDirectory) =>
        Path.Combine(options.RepoRoot, projectDirectory, "bin", options.BuildConfiguration, "net10.0", projectDirectory + ".dll");

    /// <summary>The walk up from <paramref name="start"/> to the folder holding Pipeline.sln or .git.</summary>
    public static string FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")) || Directory.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Pipeline.sln or .git above {start}; set AppHost:RepoRoot.");
    }

    /// <summary>
    /// The <c>Kestrel:Endpoints</c> of <c>{dir}/appsettings.json</c> as endpoints (<c>Protocols=Http2</c> → transport http2),
    /// or a single <c>http</c> endpoint when there are none (the app then gets <c>ASPNETCORE_URLS</c>).
    /// </summary>
    public static (IReadOnlyList<EndpointAnnotation> Endpoints, bool FromKestrelConfig) ReadEndpoints(string projectPath)
    {
        var settings = Path.Combine(projectPath, "appsettings.json");
        if (File.Exists(settings))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(settings), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (TryGet(json.RootElement, "Kestrel", out var kestrel) && TryGet(kestrel, "Endpoints", out var endpoints) && endpoints.ValueKind == JsonValueKind.Object)
            {
                var list = endpoints.EnumerateObject().Select(e => new EndpointAnnotation(e.Name)
                {
                    UriScheme = TryGet(e.Value, "Url", out var url) && url.GetString() is { } u && u.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? "https" : "http",
                    Transport = TryGet(e.Value, "Protocols", out var protocols) && protocols.GetString() == "Http2" ? "http2" : "http",
                }).ToList();
                if (list.Count > 0)
                {
                    return (list, true);
                }
            }
        }
        return ([new EndpointAnnotation("http")], false);
    }

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
        }
        value = default;
        return false;
    }
}

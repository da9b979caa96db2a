using System.Text.Json.Nodes;

namespace Router.Service.Tests.Catalogue;

/// <summary>A writable copy of the shipped catalogue in a temporary directory.</summary>
internal sealed class TestCatalogue : IDisposable
{
    public static readonly string ShippedDirectory = Path.Combine(AppContext.BaseDirectory, "catalogue-data");

    public TestCatalogue()
    {
        Directory = Path.Combine(Path.GetTempPath(), "catalogue-tests", Guid.NewGuid().ToString("N"));
        foreach (var source in System.IO.Directory.EnumerateFiles(ShippedDirectory, "*.json", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Directory, Path.GetRelativePath(ShippedDirectory, source));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
    }

    /// <summary>examples/catalogue: providers added by JSON files alone (chunks, configs and defaults entries to merge).</summary>
    public static readonly string ExamplesDirectory = Path.Combine(AppContext.BaseDirectory, "catalogue-examples");

    public string Directory { get; }

    /// <summary>Adds the example chunks and configs and merges the example defaults, as a user adding the providers would.</summary>
    public TestCatalogue WithExamples()
    {
        foreach (var source in System.IO.Directory.EnumerateFiles(ExamplesDirectory, "*.json", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "defaults.json"))
        {
            File.Copy(source, Path.Combine(Directory, Path.GetRelativePath(ExamplesDirectory, source)));
        }
        var added = JsonNode.Parse(File.ReadAllText(Path.Combine(ExamplesDirectory, "defaults.json")))!["image"]!.AsObject();
        Edit("defaults.json", defaults =>
        {
            foreach (var (mode, config) in added)
            {
                defaults["image"]![mode] = config!.DeepClone();
            }
        });
        return this;
    }

    /// <summary>Changes one file through its JSON tree.</summary>
    public void Edit(string file, Action<JsonObject> change)
    {
        var path = Path.Combine(Directory, file);
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        change(root);
        File.WriteAllText(path, root.ToJsonString(new() { WriteIndented = true }));
    }

    public void Write(string file, string content) => File.WriteAllText(Path.Combine(Directory, file), content);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A watcher may still hold a handle for a moment; the temp folder is cleaned by the OS eventually.
        }
    }
}

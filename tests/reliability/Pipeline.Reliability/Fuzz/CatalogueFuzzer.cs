using Pipeline.Reliability.Fuzz.Generators;
using Router.Service.Catalogue;

namespace Pipeline.Reliability.Fuzz;

/// <summary>
/// In-process catalogue cases: a fresh copy of the shipped catalogue per case, mutated, then
/// <see cref="CatalogueLoader.Load"/>. It must return (within 10 s) either a catalogue or errors, never throw.
/// </summary>
public sealed class CatalogueFuzzer : IDisposable
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(10);

    private readonly string _source;
    private readonly string _work = Directory.CreateTempSubdirectory("pipeline-fuzz-catalogue-").FullName;

    public CatalogueFuzzer() => _source = FindCatalogue();

    public async Task<(Verdict Verdict, string Mutation)> RunAsync(int seed, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(_work, seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Copy(_source, directory);
        try
        {
            var mutation = CatalogueMutator.Mutate(new Random(seed), directory);
            var load = Task.Run(() => CatalogueLoader.Load(directory), cancellationToken);
            try
            {
                var result = await load.WaitAsync(LoadTimeout, cancellationToken);
                var consistent = result.IsValid ? result.Errors.IsEmpty : !result.Errors.IsEmpty;
                return (consistent ? Verdict.Ok : new Verdict(VerdictKind.CatalogueThrew, $"IsValid={result.IsValid} with {result.Errors.Length} errors"), mutation);
            }
            catch (TimeoutException)
            {
                return (new Verdict(VerdictKind.NoAnswer, $"CatalogueLoader.Load took over {LoadTimeout.TotalSeconds:0} s"), mutation);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return (new Verdict(VerdictKind.CatalogueThrew, $"{ex.GetType().Name}: {ex.Message}"), mutation);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary><c>catalogue-data</c> next to the program (copied with Router.Service), else in the repository above it.</summary>
    private static string FindCatalogue()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "catalogue-data");
        if (File.Exists(Path.Combine(beside, "defaults.json")))
        {
            return beside;
        }
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "Router.Service", "catalogue-data");
                if (File.Exists(Path.Combine(candidate, "defaults.json")))
                {
                    return candidate;
                }
            }
        }
        throw new DirectoryNotFoundException("Router.Service/catalogue-data was not found beside the program or above it");
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

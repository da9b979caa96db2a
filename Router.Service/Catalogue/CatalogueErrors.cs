using System.Text.RegularExpressions;

namespace Router.Service.Catalogue;

/// <summary>Collects catalogue errors while loading, so one run reports every problem.</summary>
internal sealed partial class CatalogueErrors
{
    private readonly List<CatalogueError> _items = [];

    public IReadOnlyList<CatalogueError> Items => _items;

    public int Count => _items.Count;

    public void Add(string file, string field, string message) => _items.Add(new(file, field, message));

    /// <summary>Checks a chunk/config name: required, <c>[a-z0-9._-]</c>, equal to the file name.</summary>
    public void CheckName(string file, string? name, string expected)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            Add(file, "name", $"name is required; add \"name\": \"{expected}\"");
        }
        else if (!NamePattern().IsMatch(name))
        {
            Add(file, "name", $"name = '{name}' may only use a-z, 0-9, '.', '_' and '-' (at most 80 characters); rename the file and the name");
        }
        else if (name != expected)
        {
            Add(file, "name", $"name = '{name}' does not match the file name '{expected}'; set \"name\": \"{expected}\" or rename the file to {name}.json");
        }
    }

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,79}$")]
    private static partial Regex NamePattern();
}

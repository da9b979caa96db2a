using System.Collections.Immutable;

namespace Router.Service.Catalogue;

/// <summary>One problem in the catalogue files.</summary>
/// <param name="File">The file, relative to the catalogue root (<c>configs/x.json</c>), or <c>.</c> for the directory.</param>
/// <param name="Field">The field path in that file (<c>parameters.quality</c>), or empty for the whole file.</param>
/// <param name="Message">What is wrong and how to fix it; starts with the field.</param>
public sealed record CatalogueError(string File, string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}: {Message}";
}

/// <summary>Thrown when the catalogue cannot be used; lists every error found.</summary>
public sealed class InvalidCatalogueException : Exception
{
    public InvalidCatalogueException(string directory, ImmutableArray<CatalogueError> errors)
        : base(Format(directory, errors))
    {
        Directory = directory;
        Errors = errors;
    }

    /// <summary>The catalogue directory.</summary>
    public string Directory { get; }

    /// <summary>Every error, in file order.</summary>
    public ImmutableArray<CatalogueError> Errors { get; }

    private static string Format(string directory, ImmutableArray<CatalogueError> errors) =>
        $"The catalogue at '{directory}' has {errors.Length} error(s):{Environment.NewLine}"
        + string.Join(Environment.NewLine, errors.Select(e => $"  - {e}"));
}

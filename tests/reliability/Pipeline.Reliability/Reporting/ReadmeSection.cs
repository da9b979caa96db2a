namespace Pipeline.Reliability.Reporting;

/// <summary>The README's "Reliability" figures: the text between <see cref="Begin"/> and <see cref="End"/>.</summary>
public static class ReadmeSection
{
    public const string Begin = "<!-- reliability:begin -->";
    public const string End = "<!-- reliability:end -->";

    /// <summary>
    /// <paramref name="readme"/> with the text between the markers replaced by <paramref name="content"/>; throws
    /// <see cref="InvalidOperationException"/> when the markers are missing or out of order.
    /// </summary>
    public static string Replace(string readme, string content)
    {
        var begin = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"README.md needs the markers {Begin} and {End}, in that order, around the reliability table");
        }
        return $"{readme[..(begin + Begin.Length)]}\n{content.TrimEnd('\n')}\n{readme[end..]}";
    }
}

using System.Buffers;

namespace Router.Service.Generation;

/// <summary>Run ids: <c>[A-Za-z0-9_-]</c>, 1-64 characters, so an id can never name a path (same rule as Storage.Service).</summary>
public static class RunIds
{
    /// <summary>Longest run id.</summary>
    public const int MaxLength = 64;

    private static readonly SearchValues<char> s_allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    /// <summary>A new id: a version 7 GUID (time-ordered) as 32 hex digits.</summary>
    public static string New() => Guid.CreateVersion7().ToString("N");

    /// <summary>Null when <paramref name="runId"/> is valid, else why not (naming the allowed characters).</summary>
    public static string? Check(string runId)
    {
        if (runId.Length > MaxLength)
        {
            return $"run_id is {runId.Length} characters long; use 1-{MaxLength} characters from [A-Za-z0-9_-]";
        }
        var bad = runId.AsSpan().IndexOfAnyExcept(s_allowed);
        return bad < 0
            ? null
            : $"run_id has the character '{(char.IsControl(runId[bad]) ? '?' : runId[bad])}' at position {bad}; only [A-Za-z0-9_-] is allowed (no paths, dots or slashes)";
    }

    /// <summary>The id of image <paramref name="imageIndex"/> of a run, stable between the spool and storage: <c>{runId}-{index}</c>.</summary>
    public static string ImageId(string runId, int imageIndex) => $"{runId}-{imageIndex}";
}

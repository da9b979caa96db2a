using System.Text.RegularExpressions;

namespace Pipeline.Providers.Internal;

/// <summary>Keeps payload-looking runs (base64 and the like) out of messages that reach logs, spans and statuses.</summary>
internal static partial class Base64Runs
{
    /// <summary>Replaces every run of 64 or more base64 characters with "[N characters]".</summary>
    public static string Redact(string text) =>
        LongRun().Replace(text, m => $"[{m.Length} characters]");

    [GeneratedRegex("[A-Za-z0-9+/=_-]{64,}")]
    private static partial Regex LongRun();
}

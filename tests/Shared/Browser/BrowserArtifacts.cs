using System.Reflection;

namespace Pipeline.Tests.Browser;

/// <summary>
/// Screenshots and other files a browser test keeps for people to look at: under <c>TestResults/&lt;test project&gt;/</c>
/// of the checkout (the <c>BrowserArtifacts</c> assembly metadata, tests/Directory.Build.props), and attached to the result.
/// </summary>
internal static class BrowserArtifacts
{
    public static string Directory => typeof(BrowserArtifacts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BrowserArtifacts").Value!;

    /// <summary>Writes <paramref name="data"/> as <paramref name="fileName"/> and returns its path.</summary>
    public static string Save(string fileName, byte[] data, string mediaType)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, fileName);
        File.WriteAllBytes(path, data);
        TestContext.Current.AddAttachment(fileName, data, mediaType);
        TestContext.Current.TestOutputHelper?.WriteLine($"artifact: {path}");
        return path;
    }
}

using System.Reflection;

namespace Gateway.Tests.TestSupport;

/// <summary>Files a test keeps for people to look at: under TestResults/Gateway.Tests/ of the checkout, and attached to the test result.</summary>
internal static class TestArtifacts
{
    public static string Directory => Path.Combine(
        typeof(TestArtifacts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!,
        "TestResults", "Gateway.Tests");

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

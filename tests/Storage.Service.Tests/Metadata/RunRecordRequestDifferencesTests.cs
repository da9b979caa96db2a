using Pipeline.Contracts.Storage.V1;

namespace Storage.Service.Tests.Metadata;

/// <summary>What a claim compares: the stored request digest against the claiming one (<see cref="RunRecord.RequestDifferences"/>).</summary>
public sealed class RunRecordRequestDifferencesTests
{
    [Fact]
    public void Differences_SameKeysAndValues_None()
    {
        Assert.Empty(Stored(("prompt", "a"), ("config", "x")).RequestDifferences(Digest(("config", "x"), ("prompt", "a"))));
    }

    [Fact]
    public void Differences_ChangedAndOneSidedKeys_AllNamedSorted()
    {
        var stored = Stored(("prompt", "a"), ("config", "x"), ("mask", "m"));

        Assert.Equal(["input_images", "mask", "prompt"], stored.RequestDifferences(Digest(("prompt", "b"), ("config", "x"), ("input_images", "i"))));
    }

    [Fact]
    public void Differences_RunRecordedBeforeDigests_None()
    {
        Assert.Empty(Stored().RequestDifferences(Digest(("prompt", "b"))));
    }

    private static RunRecord Stored(params (string Key, string Value)[] entries)
    {
        var run = new RunRecord();
        foreach (var (key, value) in entries)
        {
            run.RequestDigest.Add(key, value);
        }
        return run;
    }

    private static Dictionary<string, string> Digest(params (string Key, string Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);
}

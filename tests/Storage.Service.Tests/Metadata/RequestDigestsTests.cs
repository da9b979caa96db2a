using Google.Protobuf.Collections;
using Storage.Service.Metadata;

namespace Storage.Service.Tests.Metadata;

public sealed class RequestDigestsTests
{
    [Fact]
    public void Differences_SameKeysAndValues_None()
    {
        Assert.Empty(RequestDigests.Differences(Map(("prompt", "a"), ("config", "x")), Map(("config", "x"), ("prompt", "a"))));
    }

    [Fact]
    public void Differences_ChangedAndOneSidedKeys_AllNamedSorted()
    {
        var stored = Map(("prompt", "a"), ("config", "x"), ("mask", "m"));
        var claimed = Map(("prompt", "b"), ("config", "x"), ("input_images", "i"));

        Assert.Equal(["input_images", "mask", "prompt"], RequestDigests.Differences(stored, claimed));
    }

    private static MapField<string, string> Map(params (string Key, string Value)[] entries)
    {
        var map = new MapField<string, string>();
        foreach (var (key, value) in entries)
        {
            map.Add(key, value);
        }
        return map;
    }
}

using Pipeline.Reliability.Fuzz.Generators;

namespace Pipeline.Reliability.Fuzz;

/// <summary>Case <c>index</c> of a plan: its target by position, its request from its own seed. Pure: same input, same case.</summary>
public static class FuzzCases
{
    public static FuzzCase Create(int planSeed, int index)
    {
        var seed = FuzzSeeds.ForCase(planSeed, index);
        var target = FuzzSeeds.TargetOf(index);
        var random = new Random(seed);
        var request = target switch
        {
            FuzzTarget.OpenAIJson => OpenAIJsonGenerator.Create(random),
            FuzzTarget.MultipartEdits => MultipartEditGenerator.Create(random),
            FuzzTarget.RouterApi => RouterApiGenerator.Create(random),
            FuzzTarget.GrpcFrames => GrpcFrameGenerator.Create(random),
            FuzzTarget.ProviderReplies => ProviderReplyGenerator.Create(random, seed),
            _ => null,
        };
        return new FuzzCase(target, index, seed, request);
    }
}

using System.Text.Json;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.OpenAI;

/// <summary>
/// Which config serves a run, as the router's frames tell it: the Accepted frame's, replaced by each Fallback frame's,
/// and confirmed by a Final frame's config/provider/model when set. The <c>pipeline</c> object echoes this, never
/// the config the run merely started with, with every config tried (<see cref="Attempts"/>).
/// </summary>
public sealed class RunServing(Accepted accepted)
{
    private IReadOnlyList<RunAttempt> _earlier = [];

    public string RunId { get; } = accepted.RunId;

    public bool Replayed { get; } = accepted.Replayed;

    public string Config { get; private set; } = accepted.Config;

    public string Provider { get; private set; } = accepted.Provider;

    public string Model { get; private set; } = accepted.Model;

    /// <summary>Every config tried, in order: the earlier ones (failed or skipped, from the last Fallback frame), then the serving one.</summary>
    public IReadOnlyList<RunAttempt> Attempts =>
        [.. _earlier, new RunAttempt { Config = Config, Provider = Provider, Model = Model, Outcome = AttemptOutcome.Served }];

    /// <summary>Another config serves from now on.</summary>
    public void Apply(Fallback fallback)
    {
        Config = fallback.Config;
        Provider = fallback.Provider;
        Model = fallback.Model;
        _earlier = [.. fallback.Earlier];
    }

    /// <summary>A finished image names the config that produced it (routers before the Fallback frame leave it empty).</summary>
    public void Apply(Final final)
    {
        if (final.Config.Length > 0)
        {
            Config = final.Config;
            Provider = final.Provider.Length > 0 ? final.Provider : Provider;
            Model = final.Model.Length > 0 ? final.Model : Model;
        }
    }

    /// <summary>The earlier attempts in words, e.g. <c>gpt-image-1 failed (UNAVAILABLE: provider down)</c>; empty when the first config served.</summary>
    public string EarlierInWords() => string.Join("; ", _earlier.Select(Describe));

    /// <summary>Writes <c>config</c>, <c>provider</c>, <c>model</c> and the <c>attempts</c> array into the current object.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteString("config", Config);
        json.WriteString("provider", Provider);
        json.WriteString("model", Model);
        json.WriteStartArray("attempts");
        foreach (var attempt in Attempts)
        {
            json.WriteStartObject();
            json.WriteString("config", attempt.Config);
            json.WriteString("provider", attempt.Provider);
            json.WriteString("model", attempt.Model);
            json.WriteString("outcome", Outcome(attempt.Outcome));
            if (attempt.StatusCode.Length > 0)
            {
                json.WriteString("status_code", attempt.StatusCode);
            }
            if (attempt.Reason.Length > 0)
            {
                json.WriteString("reason", attempt.Reason);
            }
            json.WriteString("summary", Describe(attempt));
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static string Outcome(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Served => "served",
        AttemptOutcome.Failed => "failed",
        AttemptOutcome.Skipped => "skipped",
        _ => "unspecified",
    };

    private static string Describe(RunAttempt attempt)
    {
        var why = string.Join(": ", new[] { attempt.StatusCode, attempt.Reason }.Where(s => s.Length > 0));
        return $"{attempt.Config} ({attempt.Provider}/{attempt.Model}) {Outcome(attempt.Outcome)}" + (why.Length > 0 ? $" ({why})" : "");
    }
}

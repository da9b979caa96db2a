using System.Text.Json;
using Router.Service.Catalogue;
using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Contracts.Storage.V1;

namespace Router.Service.Generation;

/// <summary>
/// What one generation has done so far, as the run record storage keeps: the attempt in use, usage and cost summed
/// over the images, and whether the run is pinned to the spool (once one image was spooled, the rest of the run
/// follows it there, so the spool delivers the run's records in order).
/// </summary>
internal sealed class RunLedger(GenerationPlan plan, DateTimeOffset createdAt, string traceId)
{
    private readonly Usage _usage = new();
    private readonly List<RunAttempt> _earlier = [];
    private GenerationAttempt _attempt = plan.Primary;
    private bool _attemptInUse;
    private long _costUsdMicros;
    private bool _costKnown = true;
    private string _revisedPrompt = "";
    private Struct? _effective;
    private bool _local;

    public string RunId => plan.RunId;

    public GenerationAttempt Attempt => _attempt;

    /// <summary>The write of the RUNNING record, which every later write of the run waits for.</summary>
    public Task Started { get; set; } = Task.CompletedTask;

    /// <summary>True when the RUNNING record is already in storage (the run id's claim wrote it).</summary>
    public bool Claimed { get; set; }

    /// <summary>
    /// True once storage holds the SUCCEEDED record, written in the same transaction as the run's last image: the run's end
    /// then needs no write of its own.
    /// </summary>
    public bool CompletedInStorage { get; set; }

    /// <summary>True once an image of the run went to the spool.</summary>
    public bool PinnedToSpool { get; set; }

    public int Stored { get; private set; }

    public int Pending { get; private set; }

    /// <summary>The configs tried before the one in use, each FAILED or SKIPPED, in order.</summary>
    public IReadOnlyList<RunAttempt> Earlier => _earlier;

    /// <summary>From now on <paramref name="attempt"/> serves the run.</summary>
    public void Use(GenerationAttempt attempt)
    {
        _attempt = attempt;
        _attemptInUse = true;
    }

    /// <summary>The run passed over <paramref name="planned"/>.</summary>
    public void Skip(PlannedAttempt planned) => _earlier.Add(planned.Skipped());

    /// <summary><paramref name="attempt"/>, the one in use, failed with <paramref name="code"/>; nothing when no attempt is in use.</summary>
    public void Fail(GenerationAttempt attempt, Grpc.Core.StatusCode code, string detail)
    {
        if (!_attemptInUse || !ReferenceEquals(attempt, _attempt))
        {
            return;
        }
        _attemptInUse = false;
        _earlier.Add(new RunAttempt
        {
            Config = attempt.Config.Name,
            Provider = attempt.Provider,
            Model = attempt.Model,
            Outcome = AttemptOutcome.Failed,
            StatusCode = JsonNamingPolicy.SnakeCaseUpper.ConvertName(code.ToString()),
            Reason = detail,
        });
    }

    /// <summary>Sums <paramref name="image"/>'s usage and cost into the run and keeps what it reports (revised prompt, parameters, local).</summary>
    public void Account(FinalImage image)
    {
        if (image.Usage is { } usage)
        {
            _usage.InputTokens += usage.InputTokens;
            _usage.OutputTokens += usage.OutputTokens;
            _usage.TotalTokens += usage.TotalTokens;
            _usage.InputTextTokens += usage.InputTextTokens;
            _usage.InputImageTokens += usage.InputImageTokens;
            _usage.OutputImageTokens += usage.OutputImageTokens;
            _usage.OutputTextTokens += usage.OutputTextTokens;
            _usage.InputCachedTextTokens += usage.InputCachedTextTokens;
            _usage.InputCachedImageTokens += usage.InputCachedImageTokens;
            _usage.HostInputTokens += usage.HostInputTokens;
            _usage.HostCachedInputTokens += usage.HostCachedInputTokens;
            _usage.HostOutputTokens += usage.HostOutputTokens;
            if (_usage.HostModel.Length == 0)
            {
                _usage.HostModel = usage.HostModel;
            }
        }
        _costUsdMicros += image.CostUsdMicros;
        _costKnown &= image.CostKnown;
        if (_revisedPrompt.Length == 0)
        {
            _revisedPrompt = image.RevisedPrompt;
        }
        _effective ??= image.EffectiveParameters;
        _local |= image.Local;
    }

    /// <summary>Counts an accounted image as stored, or as pending in the spool.</summary>
    public void Count(bool pending)
    {
        if (pending)
        {
            Pending++;
        }
        else
        {
            Stored++;
        }
    }

    /// <summary>The request's effective parameters with what the adapter reports it used on top (a drawn seed, steps, cfg).</summary>
    private Struct Effective(ImageParameters parameters)
    {
        var result = ParameterMapping.ToStruct(parameters.ToDictionary());
        foreach (var (name, value) in _effective?.Fields ?? [])
        {
            result.Fields[name] = value.Clone();
        }
        return result;
    }

    /// <summary>The run record in <paramref name="state"/>; <paramref name="completedAt"/> and <paramref name="error"/> for the end states.</summary>
    public RunRecord Record(RunState state, DateTimeOffset? completedAt = null, string error = "")
    {
        var parameters = _attempt.Parameters;
        var record = new RunRecord
        {
            RunId = plan.RunId,
            Config = _attempt.Config.Name,
            Mode = plan.Mode,
            Provider = _attempt.Provider,
            Model = _attempt.Model,
            Operation = _attempt.Config.Chunk.Operation.Name(),
            Prompt = plan.UserPrompt,
            RevisedPrompt = _revisedPrompt,
            Parameters = Effective(parameters),
            State = state,
            CreatedAt = Timestamp.FromDateTimeOffset(createdAt),
            StartedAt = Timestamp.FromDateTimeOffset(createdAt),
            Usage = _usage.Clone(),
            CostUsdMicros = _costUsdMicros,
            CostKnown = _costKnown,
            TraceId = traceId,
            Error = error,
            Tenant = plan.Call.Caller.Tenant,
            ParentRunId = plan.ParentRunId,
            Local = _local,
            Attempts = { _earlier.Select(a => a.Clone()) },
        };
        foreach (var (part, digest) in plan.RequestDigest)
        {
            record.RequestDigest[part] = digest;
        }
        if (state == RunState.Succeeded && _attemptInUse)
        {
            record.Attempts.Add(new RunAttempt { Config = _attempt.Config.Name, Provider = _attempt.Provider, Model = _attempt.Model, Outcome = AttemptOutcome.Served });
        }
        if (parameters.Seed is { } seed)
        {
            record.Seed = seed;
        }
        else if (record.Parameters.Fields.TryGetValue("seed", out var drawn) && drawn.KindCase == Value.KindOneofCase.NumberValue)
        {
            record.Seed = (long)drawn.NumberValue;
        }
        if (completedAt is { } completed)
        {
            record.CompletedAt = Timestamp.FromDateTimeOffset(completed);
        }
        return record;
    }
}

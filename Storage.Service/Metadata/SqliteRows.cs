using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;

namespace Storage.Service.Metadata;

/// <summary>Column lists and the mapping between SQLite rows and contract records (values as <see cref="RowValues"/> stores them).</summary>
internal static class SqliteRows
{
    public const string RunColumns =
        "run_id, config, mode, provider, model, operation, prompt, revised_prompt, parameters_json, seed, state, " +
        "created_at, started_at, completed_at, usage_json, cost_usd_micros, trace_id, error, " +
        "tenant, request_digest_json, attempts_json, cost_known, parent_run_id, local";

    /// <summary>The parameter names of <see cref="RunColumns"/> and <c>updated_at</c>, in order (see <see cref="BindRun"/>).</summary>
    public const string RunValues =
        "$run_id, $config, $mode, $provider, $model, $operation, $prompt, $revised_prompt, $parameters_json, $seed, $state, " +
        "$created_at, $started_at, $completed_at, $usage_json, $cost_usd_micros, $trace_id, $error, " +
        "$tenant, $request_digest_json, $attempts_json, $cost_known, $parent_run_id, $local, $updated_at";

    public const string ImageColumns =
        "image_id, run_id, image_index, sha256, mime_type, width, height, size_bytes, created_at, source_image_id, grid_row, grid_column";

    public static RunRecord ReadRun(SqliteDataReader r) => new RunRecord
    {
        RunId = r.GetString(0),
        Config = r.GetString(1),
        Mode = r.GetString(2),
        Provider = r.GetString(3),
        Model = r.GetString(4),
        Operation = r.GetString(5),
        Prompt = r.GetString(6),
        RevisedPrompt = r.GetString(7),
        Parameters = r.IsDBNull(8) ? null : JsonParser.Default.Parse<Struct>(r.GetString(8)),
        State = (RunState)r.GetInt32(10),
        CreatedAt = RowValues.ToTimestamp(r.GetInt64(11)),
        StartedAt = r.IsDBNull(12) ? null : RowValues.ToTimestamp(r.GetInt64(12)),
        CompletedAt = r.IsDBNull(13) ? null : RowValues.ToTimestamp(r.GetInt64(13)),
        Usage = r.IsDBNull(14) ? null : JsonParser.Default.Parse<Usage>(r.GetString(14)),
        CostUsdMicros = r.GetInt64(15),
        TraceId = r.GetString(16),
        Error = r.GetString(17),
        Tenant = Caller.OwnerOf(r.GetString(18)),
        ParentRunId = r.GetString(22),
        Local = r.GetInt64(23) != 0,
    }.WithSeed(r.IsDBNull(9) ? null : r.GetInt64(9))
     .WithDigestAndAttempts(r.IsDBNull(19) ? null : r.GetString(19), r.IsDBNull(20) ? null : r.GetString(20))
     .WithCostKnown(r.IsDBNull(21) ? null : r.GetInt64(21) != 0);

    public static ImageRecord ReadImage(SqliteDataReader r) => new()
    {
        ImageId = r.GetString(0),
        RunId = r.GetString(1),
        ImageIndex = r.GetInt32(2),
        Sha256 = r.GetString(3),
        MimeType = r.GetString(4),
        Width = r.GetInt32(5),
        Height = r.GetInt32(6),
        SizeBytes = r.GetInt64(7),
        CreatedAt = RowValues.ToTimestamp(r.GetInt64(8)),
        SourceImageId = r.IsDBNull(9) ? "" : r.GetString(9),
        GridRow = r.GetInt32(10),
        GridColumn = r.GetInt32(11),
    };

    public static void BindRun(SqliteCommand command, RunRecord run, long updatedAt)
    {
        var p = command.Parameters;
        p.AddWithValue("$run_id", run.RunId);
        p.AddWithValue("$config", run.Config);
        p.AddWithValue("$mode", run.Mode);
        p.AddWithValue("$provider", run.Provider);
        p.AddWithValue("$model", run.Model);
        p.AddWithValue("$operation", run.Operation);
        p.AddWithValue("$prompt", run.Prompt);
        p.AddWithValue("$revised_prompt", run.RevisedPrompt);
        p.AddWithValue("$parameters_json", run.Parameters is null ? DBNull.Value : JsonFormatter.Default.Format(run.Parameters));
        p.AddWithValue("$seed", run.HasSeed ? run.Seed : DBNull.Value);
        p.AddWithValue("$state", (int)run.State);
        p.AddWithValue("$created_at", RowValues.ToMicros(run.CreatedAt));
        p.AddWithValue("$started_at", run.StartedAt is null ? DBNull.Value : RowValues.ToMicros(run.StartedAt));
        p.AddWithValue("$completed_at", run.CompletedAt is null ? DBNull.Value : RowValues.ToMicros(run.CompletedAt));
        p.AddWithValue("$usage_json", run.Usage is null ? DBNull.Value : JsonFormatter.Default.Format(run.Usage));
        p.AddWithValue("$cost_usd_micros", run.CostUsdMicros);
        p.AddWithValue("$trace_id", run.TraceId);
        p.AddWithValue("$error", run.Error);
        p.AddWithValue("$tenant", RowValues.ToStoredTenant(run.Tenant));
        p.AddWithValue("$request_digest_json", (object?)RowValues.DigestJson(run) ?? DBNull.Value);
        p.AddWithValue("$attempts_json", (object?)RowValues.AttemptsJson(run) ?? DBNull.Value);
        p.AddWithValue("$cost_known", run.HasCostKnown ? (run.CostKnown ? 1 : 0) : DBNull.Value);
        p.AddWithValue("$parent_run_id", run.ParentRunId);
        p.AddWithValue("$local", run.Local ? 1 : 0);
        p.AddWithValue("$updated_at", updatedAt);
    }

    public static void BindImage(SqliteCommand command, ImageRecord image)
    {
        var p = command.Parameters;
        p.AddWithValue("$image_id", image.ImageId);
        p.AddWithValue("$run_id", image.RunId);
        p.AddWithValue("$image_index", image.ImageIndex);
        p.AddWithValue("$sha256", image.Sha256);
        p.AddWithValue("$mime_type", image.MimeType);
        p.AddWithValue("$width", image.Width);
        p.AddWithValue("$height", image.Height);
        p.AddWithValue("$size_bytes", image.SizeBytes);
        p.AddWithValue("$created_at", RowValues.ToMicros(image.CreatedAt));
        p.AddWithValue("$source_image_id", string.IsNullOrEmpty(image.SourceImageId) ? DBNull.Value : image.SourceImageId);
        p.AddWithValue("$grid_row", image.GridRow);
        p.AddWithValue("$grid_column", image.GridColumn);
    }
}

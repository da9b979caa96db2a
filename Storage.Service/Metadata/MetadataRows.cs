using System.Data;
using System.Data.Common;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;

namespace Storage.Service.Metadata;

/// <summary>
/// Column lists and the mapping between rows and contract records (values as <see cref="RowValues"/> stores them), for
/// every backend: parameters are named <c>@name</c>, which SQLite and PostgreSQL both accept.
/// </summary>
internal static class MetadataRows
{
    public const string RunColumns =
        "run_id, config, mode, provider, model, operation, prompt, revised_prompt, parameters_json, seed, state, " +
        "created_at, started_at, completed_at, usage_json, cost_usd_micros, trace_id, error, " +
        "tenant, request_digest_json, attempts_json, cost_known, parent_run_id, local";

    /// <summary>The parameter names of <see cref="RunColumns"/> and <c>updated_at</c>, in order (see <see cref="BindRun"/>).</summary>
    public const string RunValues =
        "@run_id, @config, @mode, @provider, @model, @operation, @prompt, @revised_prompt, @parameters_json, @seed, @state, " +
        "@created_at, @started_at, @completed_at, @usage_json, @cost_usd_micros, @trace_id, @error, " +
        "@tenant, @request_digest_json, @attempts_json, @cost_known, @parent_run_id, @local, @updated_at";

    public const string ImageColumns =
        "image_id, run_id, image_index, sha256, mime_type, width, height, size_bytes, created_at, source_image_id, grid_row, grid_column";

    /// <summary>The parameter names of <see cref="ImageColumns"/>, in order (see <see cref="BindImage"/>).</summary>
    public const string ImageValues =
        "@image_id, @run_id, @image_index, @sha256, @mime_type, @width, @height, @size_bytes, @created_at, @source_image_id, @grid_row, @grid_column";

    public static RunRecord ReadRun(DbDataReader r) => new RunRecord
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
        Local = ReadFlag(r, 23),
    }.WithSeed(r.IsDBNull(9) ? null : r.GetInt64(9))
     .WithDigestAndAttempts(r.IsDBNull(19) ? null : r.GetString(19), r.IsDBNull(20) ? null : r.GetString(20))
     .WithCostKnown(r.IsDBNull(21) ? null : ReadFlag(r, 21));

    public static ImageRecord ReadImage(DbDataReader r) => new()
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

    public static void BindRun(DbCommand command, RunRecord run, long updatedAt)
    {
        command.Bind("run_id", run.RunId);
        command.Bind("config", run.Config);
        command.Bind("mode", run.Mode);
        command.Bind("provider", run.Provider);
        command.Bind("model", run.Model);
        command.Bind("operation", run.Operation);
        command.Bind("prompt", run.Prompt);
        command.Bind("revised_prompt", run.RevisedPrompt);
        command.Bind("parameters_json", DbType.String, run.Parameters is null ? null : JsonFormatter.Default.Format(run.Parameters));
        command.Bind("seed", DbType.Int64, run.HasSeed ? run.Seed : null);
        command.Bind("state", (int)run.State);
        command.Bind("created_at", RowValues.ToMicros(run.CreatedAt));
        command.Bind("started_at", DbType.Int64, run.StartedAt is null ? null : RowValues.ToMicros(run.StartedAt));
        command.Bind("completed_at", DbType.Int64, run.CompletedAt is null ? null : RowValues.ToMicros(run.CompletedAt));
        command.Bind("usage_json", DbType.String, run.Usage is null ? null : JsonFormatter.Default.Format(run.Usage));
        command.Bind("cost_usd_micros", run.CostUsdMicros);
        command.Bind("trace_id", run.TraceId);
        command.Bind("error", run.Error);
        command.Bind("tenant", RowValues.ToStoredTenant(run.Tenant));
        command.Bind("request_digest_json", DbType.String, RowValues.DigestJson(run));
        command.Bind("attempts_json", DbType.String, RowValues.AttemptsJson(run));
        command.Bind("cost_known", DbType.Boolean, run.HasCostKnown ? run.CostKnown : null);
        command.Bind("parent_run_id", run.ParentRunId);
        command.Bind("local", run.Local);
        command.Bind("updated_at", updatedAt);
    }

    public static void BindImage(DbCommand command, ImageRecord image)
    {
        command.Bind("image_id", image.ImageId);
        command.Bind("run_id", image.RunId);
        command.Bind("image_index", image.ImageIndex);
        command.Bind("sha256", image.Sha256);
        command.Bind("mime_type", image.MimeType);
        command.Bind("width", image.Width);
        command.Bind("height", image.Height);
        command.Bind("size_bytes", image.SizeBytes);
        command.Bind("created_at", RowValues.ToMicros(image.CreatedAt));
        command.Bind("source_image_id", DbType.String, string.IsNullOrEmpty(image.SourceImageId) ? null : image.SourceImageId);
        command.Bind("grid_row", image.GridRow);
        command.Bind("grid_column", image.GridColumn);
    }

    /// <summary>Adds the parameter <c>@<paramref name="name"/></c>, typed by its value.</summary>
    public static void Bind(this DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Adds the parameter <c>@<paramref name="name"/></c>; a null value is SQL NULL of <paramref name="type"/> (PostgreSQL cannot infer it).</summary>
    public static void Bind(this DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>A flag column: PostgreSQL stores <c>boolean</c>, SQLite an integer 0 or 1.</summary>
    private static bool ReadFlag(DbDataReader r, int ordinal) =>
        r.GetFieldType(ordinal) == typeof(bool) ? r.GetBoolean(ordinal) : r.GetInt64(ordinal) != 0;
}

using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Storage.Service.Validation;

namespace Storage.Service.Metadata;

/// <summary>
/// A keyset position in the newest-first run order: the last run of a page. Pages after it start strictly below
/// (created at, run id), so runs inserted meanwhile never shift, repeat or skip the runs already listed.
/// </summary>
/// <param name="CreatedAtMicros">The run's creation time, Unix microseconds.</param>
/// <param name="RunId">The run id (tie-breaker).</param>
/// <param name="Config">The filters the token was issued for (<see cref="RunFilter.Key"/>; "" = none).</param>
public sealed record RunCursor(long CreatedAtMicros, string RunId, string Config)
{
    private const string Version = "r1";

    /// <summary>The opaque page token (base64url).</summary>
    public string ToToken() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Join('\n', Version, CreatedAtMicros.ToString(CultureInfo.InvariantCulture), RunId, Config)));

    /// <summary>Parses a page token; INVALID_ARGUMENT on "page_token" when it is not one this service issued for <paramref name="config"/>.</summary>
    public static RunCursor Parse(string token, string config)
    {
        const string Fix = "pass next_page_token from the previous response unchanged, with the same filters";
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw new StorageException(StorageErrorKind.InvalidArgument, $"page_token is not valid base64url; {Fix}", "page_token");
        }
        var parts = text.Split('\n', 4);
        long created = 0;
        if (parts.Length != 4 || parts[0] != Version
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out created)
            || Ids.CheckRunId(parts[2]) is not null)
        {
            StorageException.ThrowInvalid("page_token", $"page_token is malformed; {Fix}");
        }
        if (parts[3] != config)
        {
            StorageException.ThrowInvalid("page_token", $"page_token was issued for other filters (config, state or time range) than this request's; {Fix}");
        }
        return new RunCursor(created, parts[2], config);
    }
}

namespace Pipeline.Tests;

/// <summary>Storage's own limit besides the shared kit's.</summary>
internal static partial class TestTimeouts
{
    /// <summary>Starting the shared PostgreSQL or S3 server (initdb and start-up) on a loaded 2-core machine.</summary>
    public static readonly TimeSpan ServerStart = TimeSpan.FromMinutes(2);
}

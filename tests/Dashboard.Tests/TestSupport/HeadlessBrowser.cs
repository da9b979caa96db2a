using System.Diagnostics;

namespace Dashboard.Tests.TestSupport;

/// <summary>
/// A real browser: Chromium headless loads a page, runs its scripts (fetching from the API) and prints the resulting
/// DOM. Chromium is a test prerequisite (Debian package <c>chromium</c>); its absence fails the test.
/// </summary>
internal static class HeadlessBrowser
{
    private static readonly string[] Candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

    /// <summary>The DOM of <paramref name="url"/> once its scripts have run (up to <paramref name="budgetMs"/> of virtual time).</summary>
    public static async Task<string> DumpDomAsync(Uri url, int budgetMs = 10_000)
    {
        var browser = Find() ?? throw new InvalidOperationException(
            $"No Chromium found (looked for {string.Join(", ", Candidates)} on PATH); install the Debian package 'chromium'.");
        var profile = Directory.CreateTempSubdirectory("dashboard-chromium-");
        try
        {
            var info = new ProcessStartInfo(browser,
            [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                $"--user-data-dir={profile.FullName}", $"--virtual-time-budget={budgetMs}", "--dump-dom", url.ToString(),
            ])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            try
            {
                await process.WaitForExitAsync(TestContext.Current.CancellationToken).DefaultTimeout();
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            var dom = await stdout.DefaultTimeout();
            return process.ExitCode == 0 && dom.Length > 0
                ? dom
                : throw new InvalidOperationException($"{browser} exited with {process.ExitCode}: {await stderr.DefaultTimeout()}");
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => Candidates.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
}

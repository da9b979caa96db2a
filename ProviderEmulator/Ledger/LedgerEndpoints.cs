namespace ProviderEmulator.Ledger;

/// <summary><c>GET /emulator/ledger[?run=ID][&amp;limit=N]</c>: the delivered images, newest last, at most 1,000 per reply.</summary>
internal static class LedgerEndpoints
{
    private const int MaxLimit = 1_000;

    public static IEndpointRouteBuilder MapLedger(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/emulator/ledger", (ImageLedger ledger, string? run, int? limit) =>
        {
            if (limit is < 1 or > MaxLimit)
            {
                return Results.Problem($"limit must be 1-{MaxLimit}", statusCode: StatusCodes.Status400BadRequest);
            }

            var entries = ledger.Entries(string.IsNullOrEmpty(run) ? null : run);
            var take = limit ?? MaxLimit;
            return Results.Ok(new
            {
                total = entries.Count,
                dropped = ledger.Dropped,
                truncated = entries.Count > take,
                entries = entries.Skip(Math.Max(0, entries.Count - take)),
            });
        });
        return routes;
    }
}

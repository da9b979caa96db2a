namespace Pipeline.Reliability.Faults;

/// <summary>Where the images the emulator delivered for some runs are: stored, spooled, quarantined, or lost.</summary>
/// <param name="Delivered">Final images in the emulator's ledger for the runs.</param>
/// <param name="Stored">Listed by GetRun (by SHA-256).</param>
/// <param name="Spooled">In the router's spool.</param>
/// <param name="Quarantined">In the router's quarantine.</param>
/// <param name="LostImages">Each lost image as "run id: sha256 prefix".</param>
internal sealed record ImageAccount(int Delivered, int Stored, int Spooled, int Quarantined, IReadOnlyList<string> LostImages)
{
    /// <summary>Delivered images that are nowhere.</summary>
    public int Lost => LostImages.Count;

    /// <summary>Delivered images that are kept somewhere.</summary>
    public int Kept => Stored + Spooled + Quarantined;

    public static ImageAccount operator +(ImageAccount a, ImageAccount b) =>
        new(a.Delivered + b.Delivered, a.Stored + b.Stored, a.Spooled + b.Spooled, a.Quarantined + b.Quarantined, [.. a.LostImages, .. b.LostImages]);

    public static readonly ImageAccount None = new(0, 0, 0, 0, []);
}

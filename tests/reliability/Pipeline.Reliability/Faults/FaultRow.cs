namespace Pipeline.Reliability.Faults;

/// <summary>
/// What one fault did: the status the caller got and when, and where every image the emulator delivered for its runs
/// ended up. For a fault of several calls, <see cref="Status"/> lists each distinct status with its count and
/// <see cref="Seconds"/> is the slowest call.
/// </summary>
/// <param name="Fault">The fault's name, e.g. "provider 503".</param>
/// <param name="Fast">A provider fault (seconds); the only kind --quick and CI run.</param>
/// <param name="Status">The gRPC status the caller got, e.g. "OK", "UNAVAILABLE", "OK×3".</param>
/// <param name="Seconds">Time from the call to its status (the slowest call).</param>
/// <param name="DeadlineRespected">Every call ended within its deadline (plus a short grace for the status to travel).</param>
/// <param name="Calls">Generations made under the fault.</param>
/// <param name="Delivered">Final images the emulator's ledger says it delivered for those runs.</param>
/// <param name="Stored">Of those, stored (GetRun lists them by SHA-256).</param>
/// <param name="Spooled">Of those, in the router's spool.</param>
/// <param name="Quarantined">Of those, in the router's quarantine.</param>
/// <param name="Lost">Of those, nowhere. Expected 0.</param>
public sealed record FaultRow(
    string Fault, bool Fast, string Status, double Seconds, bool DeadlineRespected, int Calls, int Delivered, int Stored, int Spooled, int Quarantined, int Lost);

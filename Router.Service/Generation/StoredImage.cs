namespace Router.Service.Generation;

/// <summary>Where a final image ended up: in storage, or in the spool waiting for storage (<paramref name="Pending"/>).</summary>
/// <param name="ImageId">The image id (the same in the spool and in storage).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes.</param>
/// <param name="SizeBytes">Size of the bytes.</param>
/// <param name="Pending">True when spooled and not yet in storage.</param>
/// <param name="QuarantineReason">Set when storage refused the image for good and it is in the router's quarantine: why.</param>
public sealed record StoredImage(string ImageId, string Sha256, long SizeBytes, bool Pending, string? QuarantineReason = null);

namespace Pipeline.ServiceDefaults.Security;

/// <summary>Registered by a public front door (<see cref="Microsoft.Extensions.Hosting.InternalSecretExtensions.AddPublicFrontDoor"/>): no internal secret check on its own requests.</summary>
public sealed class PublicFrontDoor;

namespace Pipeline.Contracts.Provider.V1;

/// <summary>Call metadata of <c>provider.v1.ProviderAdapter</c> (see adapter.proto).</summary>
public static partial class ProviderAdapter
{
    /// <summary>Metadata key of a caller's own provider key (bring your own key); never logged.</summary>
    public const string ProviderKeyHeader = "x-provider-key";
}

using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Silo.Api;

/// <summary>A host calling the API: its audit identity, the host id its certificate names, and whether it is the admin identity.</summary>
internal sealed record HostCaller(Caller Caller, string HostId, bool IsAdmin)
{
    /// <summary>Whether the caller may act for <paramref name="hostId"/>: its own, or any for the admin identity.</summary>
    public bool MayActFor(string hostId) => IsAdmin || string.Equals(hostId, HostId, StringComparison.Ordinal);
}

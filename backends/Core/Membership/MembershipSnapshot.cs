namespace Teleport.Orleans.Backends.Core.Membership;

/// <summary>The rows and the version of one cluster's table, read at one instant.</summary>
public sealed record MembershipSnapshot(IReadOnlyList<MembershipRecord> Records, int Version, string VersionETag);

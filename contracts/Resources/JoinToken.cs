namespace Teleport.Orleans.Contracts.Resources;

/// <summary>A provisioning ("join") token: a secret that lets one host join the cluster with the given system roles.</summary>
[GenerateSerializer, Immutable]
public sealed record JoinToken
{
    [Id(0)] public required string Name { get; init; }
    /// <summary>System roles the joining host receives: <c>node</c>, <c>proxy</c>.</summary>
    [Id(1)] public string[] Roles { get; init; } = [];
    [Id(2)] public DateTimeOffset Expires { get; init; }
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public string CreatedBy { get; init; } = "";
    /// <summary>When the token was redeemed; a token joins one host only.</summary>
    [Id(5)] public DateTimeOffset? UsedAt { get; init; }
    [Id(6)] public string UsedBy { get; init; } = "";
    [Id(7)] public Dictionary<string, string> Labels { get; init; } = new();
    /// <summary>SHA-256 of the public keys the joining host presented (see <c>HostJoinRequest.KeyFingerprint</c>).</summary>
    [Id(8)] public string UsedByKey { get; init; } = "";
}

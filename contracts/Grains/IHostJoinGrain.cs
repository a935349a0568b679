namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// A host joining with a token, in one call inside the auth service: the token is spent before anything is signed,
/// then the host's certificates are issued for the role the token grants. A proxy relaying a join hands over the
/// token and never asks for host certificates itself. A stateless worker.
/// </summary>
public interface IHostJoinGrain : IGrainWithIntegerKey
{
    Task<HostCertificates> Join(HostJoinRequest request, Caller caller);
}

[GenerateSerializer, Immutable]
public sealed record HostJoinRequest
{
    [Id(0)] public required string Token { get; init; }
    [Id(1)] public required string Role { get; init; }
    [Id(2)] public required string HostId { get; init; }
    [Id(3)] public string NodeName { get; init; } = "";
    [Id(4)] public string SshPublicKey { get; init; } = "";
    [Id(5)] public byte[] TlsPublicKey { get; init; } = [];
    [Id(6)] public string[] AdditionalPrincipals { get; init; } = [];
    [Id(7)] public string[] DnsNames { get; init; } = [];

    /// <summary>Hex SHA-256 over the SSH public key line and the TLS public key: what binds a retried join to the first.</summary>
    public string KeyFingerprint()
    {
        var ssh = System.Text.Encoding.UTF8.GetBytes(SshPublicKey.Trim());
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([.. ssh, 0, .. TlsPublicKey]));
    }
}

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// Issues user and host certificates. A stateless worker: every silo runs several activations, each with a
/// cached copy of the active CA keys, so signing runs in parallel instead of through the CA grains.
/// </summary>
public interface ICertificateIssuerGrain : IGrainWithIntegerKey
{
    /// <summary>SSH and X.509 certificates for a user: logins, TTL and permissions come from the user's roles.</summary>
    Task<UserCertificates> IssueUserCertificates(UserCertificateRequest request, Caller caller);

    /// <summary>SSH host certificate and X.509 certificate for a host (node, proxy, auth).</summary>
    Task<HostCertificates> IssueHostCertificates(HostCertificateRequest request, Caller caller);
}

[GenerateSerializer, Immutable]
public sealed record UserCertificateRequest
{
    [Id(0)] public required string User { get; init; }
    /// <summary>OpenSSH public key line (<c>ssh-ed25519 AAAA...</c>); may be empty when only TLS is wanted.</summary>
    [Id(1)] public string SshPublicKey { get; init; } = "";
    /// <summary>DER SubjectPublicKeyInfo for the X.509 certificate; may be empty.</summary>
    [Id(2)] public byte[] TlsPublicKey { get; init; } = [];
    [Id(3)] public TimeSpan Ttl { get; init; }
    [Id(4)] public string ClientAddress { get; init; } = "";
    /// <summary>Set (by the app session grain only): the X.509 certificate is routed to this app session and no SSH certificate is issued.</summary>
    [Id(5)] public AppCertificateRoute? RouteToApp { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record AppCertificateRoute
{
    [Id(0)] public required string SessionId { get; init; }
    [Id(1)] public required string PublicAddr { get; init; }
    [Id(2)] public required string Name { get; init; }
    /// <summary>The certificate expires with the session.</summary>
    [Id(3)] public required DateTimeOffset Expires { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record UserCertificates
{
    [Id(0)] public string SshCertificate { get; init; } = "";
    [Id(1)] public string TlsCertificatePem { get; init; } = "";
    [Id(2)] public string TlsCaPem { get; init; } = "";
    /// <summary>The host CA as an <c>authorized_keys</c> public key line, for known_hosts <c>@cert-authority</c>.</summary>
    [Id(3)] public string HostCaPublicKey { get; init; } = "";
    [Id(4)] public string UserCaPublicKey { get; init; } = "";
    [Id(5)] public string ClusterName { get; init; } = "";
    [Id(6)] public DateTimeOffset ValidBefore { get; init; }
    [Id(7)] public string[] Logins { get; init; } = [];
}

[GenerateSerializer, Immutable]
public sealed record HostCertificateRequest
{
    [Id(0)] public required string HostId { get; init; }
    [Id(1)] public string NodeName { get; init; } = "";
    /// <summary>System role of the host: Node, Proxy, Auth, Admin.</summary>
    [Id(2)] public required string Role { get; init; }
    [Id(3)] public string SshPublicKey { get; init; } = "";
    [Id(4)] public byte[] TlsPublicKey { get; init; } = [];
    [Id(5)] public string[] AdditionalPrincipals { get; init; } = [];
    [Id(6)] public string[] DnsNames { get; init; } = [];
    /// <summary>Zero: the SSH host certificate never expires (as Teleport); the X.509 one lasts a year.</summary>
    [Id(7)] public TimeSpan Ttl { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record HostCertificates
{
    [Id(0)] public string SshCertificate { get; init; } = "";
    [Id(1)] public string TlsCertificatePem { get; init; } = "";
    [Id(2)] public string TlsCaPem { get; init; } = "";
    [Id(3)] public string UserCaPublicKey { get; init; } = "";
    [Id(4)] public string HostCaPublicKey { get; init; } = "";
    [Id(5)] public string ClusterName { get; init; } = "";
}

using System.Net;
using System.Net.Sockets;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Authentication;

/// <summary>
/// A public key login attempt for the application to decide on. The server has already checked that the key
/// or certificate parses; for a signed attempt (<see cref="IsSignatureVerified"/>) it has also verified the
/// client's signature with <see cref="PublicKey"/>. Trust (authorized keys, CA, principals, validity) is the
/// callback's decision, e.g. with <see cref="SshCertificateValidator.ValidateUser"/>.
/// </summary>
public sealed class SshAuthenticationRequest
{
    internal SshAuthenticationRequest(
        string userName, SshPublicKey publicKey, SshCertificate? certificate, EndPoint? remoteEndPoint, string clientVersion, bool isSignatureVerified)
    {
        UserName = userName;
        PublicKey = publicKey;
        Certificate = certificate;
        RemoteEndPoint = remoteEndPoint;
        ClientVersion = clientVersion;
        IsSignatureVerified = isSignatureVerified;
    }

    /// <summary>The login name the client asked for.</summary>
    public string UserName { get; }

    /// <summary>The key that signs; for a certificate, the certified key.</summary>
    public SshPublicKey PublicKey { get; }

    /// <summary>The OpenSSH user certificate presented, or null for a plain key.</summary>
    public SshCertificate? Certificate { get; }

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The client's IP address, with IPv4-mapped IPv6 addresses unwrapped (for source-address checks).</summary>
    public IPAddress? RemoteAddress => Unmap((RemoteEndPoint as IPEndPoint)?.Address);

    /// <summary>The client's identification string, e.g. <c>SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6</c>.</summary>
    public string ClientVersion { get; }

    /// <summary>
    /// False for the client's "would you accept this key?" query (RFC 4252 §7), answered with PK_OK;
    /// true once the client proved possession of the key. Only an accepted verified attempt logs the user in.
    /// </summary>
    public bool IsSignatureVerified { get; }

    public override string ToString() =>
        Certificate is { } c
            ? $"{UserName} with certificate \"{c.KeyId}\" serial {c.Serial} ({PublicKey}, CA {c.SignatureKey})"
            : $"{UserName} with {PublicKey}";

    internal static IPAddress? Unmap(IPAddress? address) =>
        address is { AddressFamily: AddressFamily.InterNetworkV6, IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}

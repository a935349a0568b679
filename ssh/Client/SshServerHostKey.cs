using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// The host key a server presented in the key exchange, after it proved (by signing the exchange hash) that it
/// holds the private key. Whether to trust it is the <see cref="SshHostKeyVerifier"/>'s decision.
/// </summary>
public sealed class SshServerHostKey
{
    internal SshServerHostKey(string hostName, string algorithm, SshPublicKey publicKey, SshCertificate? certificate)
    {
        HostName = hostName;
        Algorithm = algorithm;
        PublicKey = publicKey;
        Certificate = certificate;
    }

    /// <summary>The host name the client dialled (<see cref="SshClientOptions.HostName"/>).</summary>
    public string HostName { get; }

    /// <summary>The negotiated host key algorithm, e.g. <c>ssh-ed25519</c> or <c>rsa-sha2-512-cert-v01@openssh.com</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The key that signed the key exchange (for a certificate, the certified key).</summary>
    public SshPublicKey PublicKey { get; }

    /// <summary>The host certificate, when the server presented one.</summary>
    public SshCertificate? Certificate { get; }

    public override string ToString() => Certificate is null ? $"{PublicKey}" : $"{PublicKey} with {Certificate}";
}

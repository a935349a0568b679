using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Teleport.Orleans.Agent.Joining;

/// <summary>
/// Remembers the certificate a server presented before the node has any CA to check it against; the joiner checks
/// it against the CA the server returns (and the operator's pin) before it keeps anything.
/// </summary>
internal sealed class ServerCertificateCapture
{
    public X509Certificate2? Leaf { get; private set; }

    /// <summary>What the host's own trust store said of the certificate; None when it verified.</summary>
    public SslPolicyErrors Errors { get; private set; }

    /// <summary>Accepts any certificate and remembers it (an auth server's is checked against the CA it returns).</summary>
    public bool Capture(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        Remember(certificate, errors);
        return true;
    }

    /// <summary>
    /// Accepts only a certificate this host trusts (a proxy's web certificate, before the join token is sent to it),
    /// or any when <paramref name="insecure"/>.
    /// </summary>
    public RemoteCertificateValidationCallback Verified(bool insecure) => (_, certificate, _, errors) =>
    {
        Remember(certificate, errors);
        return insecure || errors == SslPolicyErrors.None;
    };

    private void Remember(X509Certificate? certificate, SslPolicyErrors errors)
    {
        Errors = errors;
        if (certificate is not null)
        {
            Leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        }
    }
}

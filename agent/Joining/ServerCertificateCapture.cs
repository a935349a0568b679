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

    public bool Capture(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is not null)
        {
            Leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        }

        return true;
    }
}

namespace Teleport.Orleans.Ssh.Certificates;

/// <summary>The certificate type field of PROTOCOL.certkeys.</summary>
public enum SshCertificateType
{
    User = 1,
    Host = 2,
}

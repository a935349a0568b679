namespace Teleport.Orleans.Ssh.Certificates;

/// <summary>Why <see cref="SshCertificateValidator"/> refused a certificate.</summary>
public enum SshCertificateRejection
{
    None = 0,
    WrongType,
    UntrustedCa,
    InvalidSignature,
    NotYetValid,
    Expired,
    NoPrincipals,
    PrincipalNotAllowed,
    UnsupportedCriticalOption,
    InvalidCriticalOption,
    SourceAddressMismatch,
}

namespace Teleport.Orleans.Ssh.Certificates;

/// <summary>Outcome of certificate validation: accepted (with any forced command) or refused with a reason.</summary>
public sealed class SshCertificateValidationResult
{
    private SshCertificateValidationResult(SshCertificateRejection rejection, string reason, string? forceCommand)
    {
        Rejection = rejection;
        Reason = reason;
        ForceCommand = forceCommand;
    }

    public bool IsValid => Rejection == SshCertificateRejection.None;

    public SshCertificateRejection Rejection { get; }

    /// <summary>Human-readable explanation, suitable for logs and audit events.</summary>
    public string Reason { get; }

    /// <summary>The certificate's force-command, which the server must run instead of the requested command.</summary>
    public string? ForceCommand { get; }

    public override string ToString() => IsValid ? "accepted" : $"{Rejection}: {Reason}";

    internal static SshCertificateValidationResult Accept(string? forceCommand) =>
        new(SshCertificateRejection.None, "Certificate accepted.", forceCommand);

    internal static SshCertificateValidationResult Refuse(SshCertificateRejection rejection, string reason) =>
        new(rejection, reason, null);
}

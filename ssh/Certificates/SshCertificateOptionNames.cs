namespace Teleport.Orleans.Ssh.Certificates;

/// <summary>Critical option and extension names defined by PROTOCOL.certkeys.</summary>
public static class SshCertificateOptionNames
{
    public const string ForceCommand = "force-command";
    public const string SourceAddress = "source-address";
    public const string VerifyRequired = "verify-required";

    public const string PermitX11Forwarding = "permit-X11-forwarding";
    public const string PermitAgentForwarding = "permit-agent-forwarding";
    public const string PermitPortForwarding = "permit-port-forwarding";
    public const string PermitPty = "permit-pty";
    public const string PermitUserRc = "permit-user-rc";
    public const string NoTouchRequired = "no-touch-required";
}

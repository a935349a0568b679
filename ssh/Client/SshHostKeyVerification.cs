namespace Teleport.Orleans.Ssh.Client;

/// <summary>The outcome of host key verification: trusted, or refused with a reason for the error message.</summary>
public sealed class SshHostKeyVerification
{
    private static readonly SshHostKeyVerification Accepted = new(true, null);

    private SshHostKeyVerification(bool isTrusted, string? reason)
    {
        IsTrusted = isTrusted;
        Reason = reason;
    }

    public bool IsTrusted { get; }

    /// <summary>Why the key was refused; null when trusted.</summary>
    public string? Reason { get; }

    public static SshHostKeyVerification Trust() => Accepted;

    public static SshHostKeyVerification Refuse(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new SshHostKeyVerification(false, reason);
    }

    public override string ToString() => IsTrusted ? "trusted" : $"refused: {Reason}";
}

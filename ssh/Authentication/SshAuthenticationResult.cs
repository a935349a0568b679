namespace Teleport.Orleans.Ssh.Authentication;

/// <summary>The application's decision on an <see cref="SshAuthenticationRequest"/>.</summary>
public sealed class SshAuthenticationResult
{
    private SshAuthenticationResult(bool isAccepted, string? reason, object? state)
    {
        IsAccepted = isAccepted;
        Reason = reason;
        State = state;
    }

    public bool IsAccepted { get; }

    /// <summary>Why the attempt was refused; logged, never sent to the client.</summary>
    public string? Reason { get; }

    /// <summary>Anything the application wants to carry to its session handlers (roles, a forced command…).</summary>
    public object? State { get; }

    public static SshAuthenticationResult Accept(object? state = null) => new(true, null, state);

    public static SshAuthenticationResult Reject(string reason) => new(false, reason, null);
}

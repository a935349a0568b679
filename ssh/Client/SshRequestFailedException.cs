namespace Teleport.Orleans.Ssh.Client;

/// <summary>The server answered a channel request (exec, shell, subsystem, pty-req, …) with CHANNEL_FAILURE.</summary>
public sealed class SshRequestFailedException : IOException
{
    public SshRequestFailedException(string requestType, string detail)
        : base($"The server refused the '{requestType}' request{(detail.Length == 0 ? "" : " " + detail)}.")
    {
        RequestType = requestType;
    }

    public string RequestType { get; }
}

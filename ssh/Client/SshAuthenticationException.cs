using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>The server refused user authentication; <see cref="AllowedMethods"/> lists what it would accept.</summary>
public sealed class SshAuthenticationException : SshConnectionException
{
    public SshAuthenticationException(string message, IReadOnlyList<string> allowedMethods)
        : base(message, SshDisconnectReason.NoMoreAuthMethodsAvailable)
    {
        AllowedMethods = allowedMethods;
    }

    /// <summary>The methods the server's last USERAUTH_FAILURE named (e.g. publickey, password).</summary>
    public IReadOnlyList<string> AllowedMethods { get; }
}

using System.Net;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>Who is on an authenticated connection: handed to the forwarding handler factory and with every session.</summary>
public sealed class SshConnectionContext
{
    internal SshConnectionContext(
        string userName, SshPublicKey publicKey, SshCertificate? certificate, EndPoint? remoteEndPoint, string clientVersion, object? authenticationState)
    {
        UserName = userName;
        PublicKey = publicKey;
        Certificate = certificate;
        RemoteEndPoint = remoteEndPoint;
        ClientVersion = clientVersion;
        AuthenticationState = authenticationState;
    }

    public string UserName { get; }

    /// <summary>The key the user authenticated with (for a certificate, the certified key).</summary>
    public SshPublicKey PublicKey { get; }

    /// <summary>The user's certificate, whose permit-port-forwarding extension a handler may want to check.</summary>
    public SshCertificate? Certificate { get; }

    public EndPoint? RemoteEndPoint { get; }

    public string ClientVersion { get; }

    /// <summary>The state the authentication callback passed to <see cref="Authentication.SshAuthenticationResult.Accept"/>.</summary>
    public object? AuthenticationState { get; }
}

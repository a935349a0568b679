using System.Net;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>Who opened a session channel, handed to the session handler factory.</summary>
public sealed class SshSessionContext
{
    internal SshSessionContext(
        string userName, SshPublicKey publicKey, SshCertificate? certificate, EndPoint? remoteEndPoint,
        string clientVersion, object? authenticationState, uint channelId)
    {
        UserName = userName;
        PublicKey = publicKey;
        Certificate = certificate;
        RemoteEndPoint = remoteEndPoint;
        ClientVersion = clientVersion;
        AuthenticationState = authenticationState;
        ChannelId = channelId;
    }

    public string UserName { get; }

    /// <summary>The key the user authenticated with (for a certificate, the certified key).</summary>
    public SshPublicKey PublicKey { get; }

    public SshCertificate? Certificate { get; }

    public EndPoint? RemoteEndPoint { get; }

    public string ClientVersion { get; }

    /// <summary>The state the authentication callback passed to <see cref="Authentication.SshAuthenticationResult.Accept"/>.</summary>
    public object? AuthenticationState { get; }

    /// <summary>Our channel number, for logs.</summary>
    public uint ChannelId { get; }
}

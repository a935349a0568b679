using System.Net.Security;
using System.Net.Sockets;
using Teleport.Orleans.Cli.Tsh.Profiles;
using Teleport.Orleans.Ssh.Client;

namespace Teleport.Orleans.Cli.Tsh.Proxy;

/// <summary>
/// Reaches nodes through the proxy as tsh does: SSH to the proxy's SSH port (or, when the proxy multiplexes, TLS to
/// its web port with ALPN <c>teleport-proxy-ssh</c> and SSH inside), the <c>proxy:</c> subsystem to the node, and a
/// second, end-to-end SSH connection with the node over that subsystem, its host certificate checked against the
/// cluster's host CA.
/// </summary>
internal sealed class ProxyConnector(LoggedInUser login, IReadOnlyList<Ssh.Keys.SshPublicKey> hostCaKeys)
{
    public const string AlpnProtocol = "teleport-proxy-ssh";

    private Profile Profile => login.Profile;

    /// <summary>An SSH connection to the proxy, authenticated with the user's certificate.</summary>
    public async Task<SshClient> ConnectProxyAsync(string sshLogin, CancellationToken cancellationToken)
    {
        var address = Profile.Ssh;
        var stream = await DialAsync(address, cancellationToken);
        // The proxy's host certificate is checked like a node's, unless the login chose --insecure for a test proxy.
        var verifier = Profile.Insecure ? SshHostKeyVerifiers.AcceptAny() : CaVerifier();
        try
        {
            return await SshClient.ConnectAsync(stream, Options(sshLogin, address.Host, verifier), cancellationToken);
        }
        catch (SshHostKeyRejectedException ex)
        {
            throw new TshException($"The proxy {address} is not trusted: {ex.Message}", ex);
        }
    }

    /// <summary>Opens the proxy subsystem to <paramref name="target"/>: a byte stream to the node's SSH port.</summary>
    public async Task<SessionStream> OpenNodeStreamAsync(SshClient proxy, NodeTarget target, CancellationToken cancellationToken)
    {
        var session = await proxy.OpenSessionAsync(cancellationToken);
        try
        {
            await session.StartSubsystemAsync(target.Subsystem(Profile.Cluster), cancellationToken);
        }
        catch (SshRequestFailedException ex)
        {
            await session.DisposeAsync();
            throw new TshException($"The proxy cannot reach node '{target.Host}' in cluster '{Profile.Cluster}' (is it online? see 'tsh ls').", ex);
        }

        return new SessionStream(session);
    }

    /// <summary>An end-to-end SSH connection to the node as <paramref name="sshLogin"/>, through <paramref name="proxy"/>.</summary>
    public async Task<SshClient> ConnectNodeAsync(SshClient proxy, NodeTarget target, string sshLogin, CancellationToken cancellationToken)
    {
        var stream = await OpenNodeStreamAsync(proxy, target, cancellationToken);
        try
        {
            return await SshClient.ConnectAsync(stream, Options(sshLogin, target.Host, CaVerifier()), cancellationToken);
        }
        catch (SshHostKeyRejectedException ex)
        {
            throw new TshException($"Node '{target.Host}' is not trusted: {ex.Message}", ex);
        }
        catch (SshAuthenticationException ex)
        {
            throw new TshException($"Access denied to {sshLogin}@{target.Host}: {ex.Message}", ex);
        }
        catch (SshConnectionException ex)
        {
            // The proxy accepts the subsystem, then explains on stderr when it cannot route to the node.
            var reason = await stream.ReadErrorAsync(TimeSpan.FromSeconds(2));
            throw new TshException(reason.Length > 0 ? $"Cannot reach node '{target.Host}': {reason}" : ex.Message, ex);
        }
    }

    private SshHostKeyVerifier CaVerifier()
    {
        if (hostCaKeys.Count == 0)
        {
            throw new TshException($"No host CA of cluster '{Profile.Cluster}' is known; run 'tsh login' again.");
        }

        return SshHostKeyVerifiers.CertificateAuthority(hostCaKeys, clockSkew: TimeSpan.FromMinutes(1));
    }

    private SshClientOptions Options(string sshLogin, string hostName, SshHostKeyVerifier verifier) => new()
    {
        UserName = sshLogin,
        HostName = hostName,
        PrivateKey = login.Key,
        Certificate = login.Certificate,
        HostKeyVerifier = verifier,
        KeepAliveInterval = TimeSpan.FromMinutes(5),
    };

    private async Task<Stream> DialAsync(ProxyAddress address, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await tcp.ConnectAsync(address.Host, address.Port, timeout.Token);
            if (!Profile.TlsRoutingEnabled)
            {
                return tcp.GetStream();
            }

            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = address.Host,
                    ApplicationProtocols = [new SslApplicationProtocol(AlpnProtocol)],
                    RemoteCertificateValidationCallback = Profile.Insecure ? (_, _, _, _) => true : null,
                },
                timeout.Token);
            return tls;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException
            && !cancellationToken.IsCancellationRequested)
        {
            tcp.Dispose();
            throw new TshException($"Cannot connect to the proxy at {address}: {ex.Message}", ex);
        }
    }
}

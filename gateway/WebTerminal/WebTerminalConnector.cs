using Microsoft.Extensions.Logging;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Access.Sessions;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Gateway.SshProxy;
using Teleport.Orleans.Gateway.WebSessions;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Gateway.WebTerminal;

/// <summary>
/// Opens a web terminal's SSH session on the node the way tsh ssh reaches it: <see cref="NodeRouter"/> finds the node
/// and applies the user's node access and locks, <see cref="ProxyConnections"/> dials it (tunnel, peer gateway or TCP)
/// and audits the connection, and the node authenticates, records and audits the session. The proxy logs in with a
/// key made for this terminal and a certificate the auth service issues for the web session's user, valid until the
/// web session expires; the key never leaves this process.
/// </summary>
internal sealed partial class WebTerminalConnector(
    IGrainFactory grains, NodeRouter router, ProxyConnections connections, RoutingCache cache, WebSessionService sessions, ILogger<WebTerminalConnector> logger)
{
    private const string TerminalType = "xterm-256color";

    public async Task<WebTerminalSession> Connect(WebSession session, TerminalRequest request, string clientAddress, CancellationToken cancellationToken)
    {
        var user = new ProxyUser(session.User, session.Roles, session.Traits, clientAddress) { JoiningSession = request.Joining };
        var (host, login) = request.Joining ? (await JoinTarget(request.SessionId!), SessionJoin.Principal) : (request.ServerId, request.Login);
        Node node;
        AuditedStream stream;
        try
        {
            node = await router.Route(user, host, 0);
            stream = await connections.Open(user, node.Name, 0, "web-terminal", cancellationToken);
        }
        catch (RouteException ex)
        {
            throw new TerminalException(ex.Message, ex);
        }

        var key = SshPrivateKey.Generate(SshKeyType.Ed25519);
        SshClient? client = null;
        SshSession? ssh = null;
        try
        {
            var certificates = await Issue(session, key, clientAddress);
            var options = new SshClientOptions
            {
                UserName = login,
                HostName = node.Hostname,
                PrivateKey = key,
                Certificate = SshCertificate.Parse(certificates.SshCertificate),
                HostKeyVerifier = SshHostKeyVerifiers.CertificateAuthority([SshPublicKey.Parse(certificates.HostCaPublicKey)], clockSkew: TimeSpan.FromMinutes(1)),
                KeepAliveInterval = TimeSpan.FromMinutes(5),
            };
            client = await SshClient.ConnectAsync(stream, options, cancellationToken);
            ssh = await client.OpenSessionAsync(cancellationToken);
            if (request.Joining)
            {
                await ssh.SetEnvironmentVariableAsync(SessionJoin.SessionVariable, request.SessionId!, cancellationToken);
                await ssh.SetEnvironmentVariableAsync(SessionJoin.ModeVariable, request.Mode is { Length: > 0 } mode ? mode : SessionJoinAccess.Observer, cancellationToken);
            }

            await ssh.RequestPtyAsync(TerminalType, new SshWindowSize((uint)request.Term.W, (uint)request.Term.H, 0, 0), cancellationToken: cancellationToken);
            await ssh.StartShellAsync(cancellationToken);
            LogStarted(logger, session.User, login, node.Hostname);
            return new WebTerminalSession(grains, session, request, node, key, client, ssh, stream, new WebTerminalWatch(grains, session, node, cache, sessions, logger), logger);
        }
        catch (Exception ex) when (ex is SshAuthenticationException or SshConnectionException or SshHostKeyRejectedException or SshRequestFailedException
            or SshChannelOpenException or AuthException or IOException or TimeoutException)
        {
            if (ssh is not null)
            {
                await ssh.DisposeAsync();
            }

            if (client is not null)
            {
                await client.DisposeAsync();
            }

            await stream.DisposeAsync();
            key.Dispose();
            throw new TerminalException(ex switch
            {
                SshAuthenticationException => $"access denied to {login}@{node.Hostname}: {ex.Message}",
                SshHostKeyRejectedException => $"node \"{node.Hostname}\" is not trusted: {ex.Message}",
                AuthException => ex.Message,
                _ => $"cannot start a session on \"{node.Hostname}\": {ex.Message}",
            }, ex);
        }
    }

    private Task<UserCertificates> Issue(WebSession session, SshPrivateKey key, string clientAddress) =>
        // The session's grain checks the session and asks for its user's certificates: a proxy cannot get them alone.
        grains.GetGrain<IWebSessionGrain>(session.Id).IssueUserCertificates(session.BearerHash, key.PublicKey.ToAuthorizedKeysLine(), clientAddress);

    /// <summary>The node holding the running session to join.</summary>
    private async Task<string> JoinTarget(string sessionId)
    {
        var trackers = await grains.GetGrain<ISessionDirectoryGrain>(ISessionDirectoryGrain.DefaultKey).List(includeTerminated: false);
        var tracker = trackers.FirstOrDefault(t => t.SessionId == sessionId && t.State == SessionStates.Running)
            ?? throw new TerminalException($"session {sessionId} is not running (it ended, or it never existed)");
        return tracker.NodeId;
    }
}

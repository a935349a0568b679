using System.Text;
using Teleport.Orleans.Agent.SshAgent;
using Teleport.Orleans.Agent.Terminal;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Sessions;

/// <summary>Agent forwarding (auth-agent-req@openssh.com): a socket of the session's own, when the roles allow it.</summary>
internal sealed partial class NodeSessionHandler
{
    private const string AgentRefusal =
        "teleport: agent forwarding is not permitted for this login: none of the user's roles sets forward_agent: true";

    private bool _agentRequested;

    public ValueTask<bool> RequestAgentForwardingAsync(CancellationToken cancellationToken)
    {
        _agentRequested = _login is not null;
        var allowed = _login is { AgentForwardingAllowed: true };
        if (_login is not null && !allowed)
        {
            LogAgentRefused(_logger, _login.User, _login.Login);
        }

        return ValueTask.FromResult(allowed);
    }

    /// <summary>
    /// The session's agent socket when the client asked for one and may have it; when it may not, the client reads
    /// why on stderr (OpenSSH asks without wanting a reply, so this is the only way it learns) and the program runs on.
    /// </summary>
    private async Task<ForwardedAgentSocket?> OpenAgentAsync(UnixUser user, SshSessionStreams streams, CancellationToken cancellationToken)
    {
        if (!_agentRequested || _login is null)
        {
            return null;
        }

        string notice;
        if (_login.AgentForwardingAllowed)
        {
            try
            {
                return ForwardedAgentSocket.Create(user, _context.Connection, _logger);
            }
            catch (IOException exception)
            {
                LogAgentFailed(_logger, SessionId, exception.Message);
                notice = "teleport: agent forwarding failed: " + exception.Message;
            }
        }
        else
        {
            notice = AgentRefusal;
        }

        try
        {
            await streams.Error.WriteAsync(Encoding.UTF8.GetBytes(notice + (_pty is null ? "\n" : "\r\n")), cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone.
        }

        return null;
    }

    /// <summary>The environment with SSH_AUTH_SOCK pointing at the session's agent socket, when it has one.</summary>
    private static List<string> WithAgent(List<string> environment, ForwardedAgentSocket? agent)
    {
        if (agent is not null)
        {
            environment.Add("SSH_AUTH_SOCK=" + agent.SocketPath);
        }

        return environment;
    }
}

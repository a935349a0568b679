using System.Net.Sockets;
using Teleport.Orleans.Ssh.Client;

namespace Teleport.Orleans.Cli.Tsh.Forwarding;

/// <summary>
/// tsh ssh -A: the node's agent channels are connected to the local ssh-agent at SSH_AUTH_SOCK, as ssh(1) -A does.
/// Without an agent there is nothing to forward: one line says so and the session runs without it.
/// </summary>
internal static class AgentForwarding
{
    /// <summary>True when the agent's channels will be accepted; the caller then asks for them per session.</summary>
    public static bool Enable(SshClient client, TshContext context)
    {
        var socketPath = context.Environment("SSH_AUTH_SOCK");
        if (string.IsNullOrEmpty(socketPath) || !File.Exists(socketPath))
        {
            context.Error.WriteLine("Warning: -A: there is no ssh-agent to forward (SSH_AUTH_SOCK is not set or its socket is gone); start one with 'eval $(ssh-agent)' and 'ssh-add'.");
            return false;
        }

        client.AcceptAgentChannels(token => ConnectAsync(socketPath, token));
        return true;
    }

    private static async ValueTask<Stream> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new IOException($"The local ssh-agent at {socketPath} does not answer: {ex.Message}", ex);
        }

        return new NetworkStream(socket, ownsSocket: true);
    }
}

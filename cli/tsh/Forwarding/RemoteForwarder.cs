using System.Globalization;
using System.Net.Sockets;
using Teleport.Orleans.Ssh.Client;

namespace Teleport.Orleans.Cli.Tsh.Forwarding;

/// <summary>
/// Asks the node for each <see cref="RemoteForward"/> (tcpip-forward) and connects every connection it carries back
/// to the forward's host:hostport from here, as ssh(1) -R. A refusal is one line on the error stream and tsh goes on,
/// as OpenSSH without ExitOnForwardFailure; the node stops listening when the connection ends.
/// </summary>
internal static class RemoteForwarder
{
    public static async Task StartAsync(SshClient client, IEnumerable<RemoteForward> forwards, TextWriter error, CancellationToken cancellationToken)
    {
        foreach (var forward in forwards)
        {
            try
            {
                var port = await client.StartRemoteForwardAsync(forward.BindAddress, forward.Port, token => ConnectAsync(forward, token), cancellationToken);
                if (forward.Port == 0)
                {
                    // ssh(1)'s line, so that scripts reading it keep working.
                    await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Allocated port {port} for remote forward to {forward.Host}:{forward.HostPort}"));
                }
            }
            catch (SshRequestFailedException)
            {
                await error.WriteLineAsync(
                    $"Warning: remote port forwarding of {forward} was refused by the node: the role's ssh_port_forwarding.remote (or port_forwarding) " +
                    "must allow it, and the port must be free (below 1024 only for root).");
            }
        }
    }

    private static async ValueTask<Stream> ConnectAsync(RemoteForward forward, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(forward.Host, forward.HostPort, cancellationToken);
        }
        catch (SocketException ex)
        {
            client.Dispose();
            throw new IOException($"Connecting to {forward.Host}:{forward.HostPort} failed: {ex.Message}", ex);
        }

        return new NetworkStream(client.Client, ownsSocket: true);
    }
}

using System.Net;
using System.Net.Sockets;
using Teleport.Orleans.Ssh.Client;

namespace Teleport.Orleans.Cli.Tsh.Forwarding;

/// <summary>
/// Listens for one <see cref="LocalForward"/> and carries every accepted connection over a <c>direct-tcpip</c>
/// channel of the node connection, as ssh(1) -L does. A refused channel costs that connection only: one line on
/// <paramref name="error"/>, and the listener goes on.
/// </summary>
internal sealed class LocalForwarder : IAsyncDisposable
{
    private readonly SshClient _client;
    private readonly TextWriter _error;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    private LocalForwarder(SshClient client, LocalForward forward, TextWriter error, TcpListener listener)
    {
        _client = client;
        _error = error;
        _listener = listener;
        Forward = forward;
        _accepting = AcceptAsync();
    }

    public LocalForward Forward { get; }

    /// <summary>The port listened on (the chosen one when the forward asked for port 0).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static LocalForwarder Start(SshClient client, LocalForward forward, TextWriter error)
    {
        if (!IPAddress.TryParse(forward.BindAddress, out var address))
        {
            throw new TshException($"-L {forward}: the bind address '{forward.BindAddress}' is not an IP address.");
        }

        var listener = new TcpListener(address, forward.Port);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw new TshException($"Cannot listen on {forward.BindAddress}:{forward.Port} for -L: {ex.Message}.", ex);
        }

        return new LocalForwarder(client, forward, error, listener);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient accepted;
            try
            {
                accepted = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = CarryAsync(accepted);
        }
    }

    private async Task CarryAsync(TcpClient accepted)
    {
        using (accepted)
        {
            accepted.NoDelay = true;
            var origin = (IPEndPoint)accepted.Client.RemoteEndPoint!;
            SshChannelStream channel;
            try
            {
                channel = await _client.OpenDirectTcpIpAsync(Forward.Host, Forward.HostPort, origin.Address.ToString(), origin.Port, _stopping.Token);
            }
            catch (SshChannelOpenException ex)
            {
                // In a raw-mode terminal session the line needs its own carriage return, as OpenSSH's messages there.
                var end = Terminal.RawTerminal.AnyRaw ? "\r\n" : "\n";
                await _error.WriteAsync($"Forwarding to {Forward.Host}:{Forward.HostPort} failed: the node refused it ({Reason(ex.ReasonCode)}: {ex.Description}){Hint(ex.ReasonCode)}.{end}");
                return;
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            await using (channel)
            {
                var local = accepted.GetStream();
                var upstream = CopyAsync(local, channel, () => channel.ShutdownWriteAsync());
                var downstream = CopyAsync(channel, local, () =>
                {
                    accepted.Client.Shutdown(SocketShutdown.Send);
                    return Task.CompletedTask;
                });
                await Task.WhenAll(upstream, downstream);
            }
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, Func<Task> endOfInput)
    {
        try
        {
            await from.CopyToAsync(to);
            await endOfInput();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or OperationCanceledException or SshConnectionException)
        {
            // One side went away; the other ends when its copy does.
        }
    }

    private static string Reason(uint code) => code switch
    {
        1 => "administratively prohibited",
        2 => "connect failed",
        3 => "unknown channel type",
        4 => "resource shortage",
        _ => $"reason {code}",
    };

    private static string Hint(uint code) => code switch
    {
        1 => "; port forwarding is not permitted for this login on this node (the role's port_forwarding)",
        2 => "; nothing answers at that address as the node sees it",
        _ => "",
    };
}

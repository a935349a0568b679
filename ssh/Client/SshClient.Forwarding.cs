using System.Globalization;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// What the server may open back to us: agent channels (ssh -A) and remote forwards (ssh -R, RFC 4254 §7.1).
/// Each accepted channel is connected with the callback given here and spliced with it both ways.
/// </summary>
public sealed partial class SshClient
{
    private readonly Lock _forwardsGate = new();
    private readonly Dictionary<(string Address, uint Port), Func<CancellationToken, ValueTask<Stream>>> _remoteForwards = [];
    private Func<CancellationToken, ValueTask<Stream>>? _agent;

    /// <summary>
    /// Accepts "auth-agent@openssh.com" channels from the server, each connected with <paramref name="connectAgent"/>
    /// (the local ssh-agent's socket). Ask for them per session with <see cref="SshSession.RequestAgentForwardingAsync"/>.
    /// </summary>
    public void AcceptAgentChannels(Func<CancellationToken, ValueTask<Stream>> connectAgent)
    {
        ArgumentNullException.ThrowIfNull(connectAgent);
        _agent = connectAgent;
        _connection.IncomingChannels = AcceptAsync;
    }

    /// <summary>
    /// Asks the server to listen on <paramref name="address"/>:<paramref name="port"/> ("tcpip-forward"; port 0 lets it
    /// choose) and to open a "forwarded-tcpip" channel per connection, each carried to <paramref name="connect"/>.
    /// Returns the port the server listens on; throws <see cref="SshRequestFailedException"/> when it refuses.
    /// </summary>
    public async Task<int> StartRemoteForwardAsync(
        string address, int port, Func<CancellationToken, ValueTask<Stream>> connect, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var key = (address, (uint)port);
        lock (_forwardsGate)
        {
            // Registered first: the server may open a channel before its reply has been read here.
            if (!_remoteForwards.TryAdd(key, connect))
            {
                throw new InvalidOperationException($"A remote forward of {address}:{port} is already registered.");
            }
        }

        _connection.IncomingChannels = AcceptAsync;
        byte[]? reply;
        try
        {
            reply = await _connection.RequestAsync("tcpip-forward", new SshWriter(32).WriteString(address).WriteUInt32((uint)port).ToArray(), cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            Forget(key);
            throw;
        }

        if (reply is null)
        {
            Forget(key);
            throw new SshRequestFailedException("tcpip-forward", string.Create(CultureInfo.InvariantCulture, $"to listen on {address}:{port}"));
        }

        if (port != 0)
        {
            return port;
        }

        var bound = new SshReader(reply).ReadUInt32();
        lock (_forwardsGate)
        {
            _remoteForwards.Remove(key);
            _remoteForwards[(address, bound)] = connect;
        }

        return (int)bound;
    }

    private void Forget((string, uint) key)
    {
        lock (_forwardsGate)
        {
            _remoteForwards.Remove(key);
        }
    }

    private async ValueTask<Stream?> AcceptAsync(string type, byte[] data, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case "auth-agent@openssh.com" when _agent is { } agent:
                return await agent(cancellationToken).ConfigureAwait(false);
            case "forwarded-tcpip":
                var reader = new SshReader(data);
                var (address, port) = (reader.ReadUtf8String(), reader.ReadUInt32());
                Func<CancellationToken, ValueTask<Stream>>? connect;
                lock (_forwardsGate)
                {
                    // A port-0 forward whose reply is still on its way is known by its address only.
                    if (!_remoteForwards.TryGetValue((address, port), out connect))
                    {
                        _remoteForwards.TryGetValue((address, 0), out connect);
                    }
                }

                return connect is null ? null : await connect(cancellationToken).ConfigureAwait(false);
            default:
                return null;
        }
    }
}

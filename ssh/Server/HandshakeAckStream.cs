using System.Net.Sockets;

namespace Teleport.Orleans.Ssh.Server;

/// <summary>
/// A listener's TCP connection that, until the client has authenticated, reports each read to its place in the
/// <see cref="UnauthenticatedConnectionBudget"/> (so that an active handshake is not taken for idle) and acknowledges
/// what it reads at once (Linux TCP_QUICKACK) instead of leaving the ACK to the kernel's delayed-ACK timer.
/// </summary>
/// <remarks>
/// Performance: twice in a login the client sends two packets in a row that the server answers only after the second
/// (KEXINIT then KEX_ECDH_INIT when the server's KEXINIT went out first; NEWKEYS then SERVICE_REQUEST). OpenSSH keeps
/// Nagle's algorithm on until it has authenticated, so the second packet waits for the ACK of the first, and the
/// kernel, seeing a server that answers quickly (its "pingpong" mode), holds that ACK for 40 ms hoping to piggyback it
/// on data the server never sends. Those two stalls were 80 ms of a login through the proxy. The option is one-shot
/// (the kernel returns to delayed ACKs as soon as the server writes again), so it is set after every read of the
/// handshake; after authentication the kernel's defaults apply again.
/// </remarks>
internal sealed class HandshakeAckStream(Socket socket, UnauthenticatedConnection? waiting = null) : NetworkStream(socket, ownsSocket: true)
{
    private const int IpProtocolTcp = 6;
    private const int TcpQuickAck = 12;
    private static readonly byte[] Enable = BitConverter.GetBytes(1);

    private volatile bool _quickAck = OperatingSystem.IsLinux();
    private volatile bool _handshaking = true;

    /// <summary>
    /// The client has authenticated: it leaves the budget, and its packets are answered one by one now, so delayed
    /// ACKs cost nothing.
    /// </summary>
    public void HandshakeCompleted()
    {
        _handshaking = false;
        _quickAck = false;
        waiting?.Authenticated();
    }

    public override int Read(Span<byte> buffer) => Acknowledged(base.Read(buffer));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Acknowledged(await base.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Acknowledged(int read)
    {
        if (read <= 0 || !_handshaking)
        {
            return read;
        }

        waiting?.Received();
        if (_quickAck)
        {
            try
            {
                // Sends the ACK the kernel has scheduled for what was just read, and leaves pingpong mode.
                Socket.SetRawSocketOption(IpProtocolTcp, TcpQuickAck, Enable);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // A closing socket, or a kernel without the option: the ACK is merely late, so stop trying.
                _quickAck = false;
            }
        }

        return read;
    }
}

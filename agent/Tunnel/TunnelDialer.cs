using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Teleport.Orleans.Agent.Tunnel;

/// <summary>
/// Opens connections to the proxy's tunnel endpoint: plain TCP to 3024, or TLS with ALPN
/// <c>teleport-reversetunnel</c> on the web port when the proxy routes by TLS. Each starts with a one-line preface
/// saying what it is for ("node" tunnel or "auth" API). A <paramref name="fixedAddress"/> is used as given and never
/// asked for again; <paramref name="localAddress"/> picks the source address (the load tool spreads its simulated
/// agents over 127.0.0.0/8 as real ones come from many hosts).
/// </summary>
internal sealed class TunnelDialer(string proxyServer, TunnelAddress? fixedAddress = null, System.Net.IPAddress? localAddress = null)
{
    /// <summary>
    /// A node tunnel, from an agent that understands <see cref="QueuedLine"/> (a proxy keeps it in its admission line
    /// longer than the agent's silence limit, saying so every few seconds). Proxies older than this line refuse it:
    /// agents are upgraded after their proxies, as Teleport requires.
    /// </summary>
    public const string NodePreface = "teleport-tunnel/1 node queued";

    public const string AuthPreface = "teleport-tunnel/1 auth";

    /// <summary>The line a proxy sends instead of its certificate when it admits no more handshakes now.</summary>
    public const string BusyLine = "teleport-tunnel/1 busy";

    /// <summary>What the proxy sends while the agent waits in its admission line; the certificate line follows.</summary>
    public const string QueuedLine = "teleport-tunnel/1 queued";

    /// <summary>The longest certificate line accepted, newline not counted.</summary>
    private const int MaxLineLength = 16384;

    private static readonly SslApplicationProtocol ReverseTunnel = new("teleport-reversetunnel");

    private readonly TunnelAddress? _fixedAddress = fixedAddress;

    private TunnelAddress? _address = fixedAddress;

    public string ProxyServer => proxyServer;

    /// <summary>The tunnel address in use, once discovered.</summary>
    public TunnelAddress? Address => _address;

    /// <summary>Forgets the discovered address, so the next dial asks the proxy again (after a failure).</summary>
    public void Forget() => _address = _fixedAddress;

    public async Task<Stream> ConnectAsync(string preface, CancellationToken cancellationToken)
    {
        var address = _address ??= await TunnelAddress.DiscoverAsync(proxyServer, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream stream;
        try
        {
            // Keepalive probes notice a proxy that vanished without a FIN within about a minute.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 20);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 5);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 6);
            if (localAddress is not null)
            {
                socket.Bind(new System.Net.IPEndPoint(localAddress, 0));
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await socket.ConnectAsync(address.Host, address.Port, timeout.Token);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (address.TlsRouting)
            {
                // The web certificate may be self-signed; the proxy is authenticated inside (SSH host CA, or mTLS for auth).
                var tls = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = address.Host,
                    ApplicationProtocols = [ReverseTunnel],
                }, timeout.Token);
                if (tls.NegotiatedApplicationProtocol != ReverseTunnel)
                {
                    await tls.DisposeAsync();
                    throw new IOException($"the proxy at {address} did not accept ALPN teleport-reversetunnel");
                }

                stream = new OpaqueStream(tls);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(preface + "\n"), cancellationToken);
        await stream.FlushAsync(cancellationToken);
        return stream;
    }

    /// <summary>
    /// The line the proxy sends on a node tunnel before SSH (its host certificate, or the busy line), and the stream to
    /// run SSH on, which first returns whatever came after the line in the same read. Queued lines before it (the agent
    /// is waiting in the proxy's admission line) are skipped; each was a sign of life for the silence watch. Read a
    /// buffer at a time: byte by byte, the line cost a system call per byte (about 1,500 per tunnel, the load tool's
    /// largest cost when 10,000 agents dialed at once).
    /// </summary>
    public static async Task<(string Line, Stream Ssh)> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var filled = 0;
        while (true)
        {
            var newline = buffer.AsSpan(0, filled).IndexOf((byte)'\n');
            if (newline > MaxLineLength || (newline < 0 && filled > MaxLineLength))
            {
                throw new IOException("the proxy's certificate line is too long");
            }

            if (newline >= 0)
            {
                var line = Encoding.Latin1.GetString(buffer, 0, newline);
                var rest = buffer.AsMemory(newline + 1, filled - newline - 1);
                if (line == QueuedLine)
                {
                    rest.CopyTo(buffer);
                    filled = rest.Length;
                    continue;
                }

                return (line, rest.IsEmpty ? stream : new ReplayStream(rest, stream));
            }

            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                throw new IOException("the proxy closed the tunnel before sending its certificate");
            }

            filled += read;
        }
    }
}

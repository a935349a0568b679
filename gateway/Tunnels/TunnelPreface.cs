using System.Text;

namespace Teleport.Orleans.Gateway.Tunnels;

/// <summary>
/// The one line an agent sends first on the tunnel port (3024, or ALPN <c>teleport-reversetunnel</c>): what the
/// connection is for. "node": the agent's SSH server, to which the gateway connects as an SSH client and opens a
/// channel per user connection. "auth": a raw splice to the auth API, so a node joined through the proxy reaches
/// 3025 with its own mTLS running end to end inside.
/// </summary>
internal static class TunnelPreface
{
    public const string Node = "teleport-tunnel/1 node";

    /// <summary>
    /// A node tunnel from an agent that understands <see cref="Queued"/>: it may be kept in the admission line past its
    /// silence limit, as long as it hears from the proxy.
    /// </summary>
    public const string NodeQueued = "teleport-tunnel/1 node queued";

    public const string Auth = "teleport-tunnel/1 auth";

    /// <summary>
    /// What the proxy sends on a node tunnel instead of its certificate line when it admits no more handshakes now
    /// (<see cref="TunnelAdmission"/>): the agent backs off and dials again without asking for the address anew.
    /// </summary>
    public const string Busy = "teleport-tunnel/1 busy";

    /// <summary>
    /// What the proxy sends, before its certificate line, every <c>QueuedInterval</c> while a <see cref="NodeQueued"/>
    /// agent waits in the admission line: the agent is in line, not talking to a hung proxy.
    /// </summary>
    public const string Queued = "teleport-tunnel/1 queued";

    private const int MaxLength = 64;

    /// <summary>Reads the line byte by byte, so nothing after it is consumed from the stream.</summary>
    public static async Task<string> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (line.Length < MaxLength)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("the tunnel connection closed before its preface");
            }

            if (one[0] == (byte)'\n')
            {
                return line.ToString();
            }

            line.Append((char)one[0]);
        }

        throw new IOException("the tunnel preface is too long");
    }
}

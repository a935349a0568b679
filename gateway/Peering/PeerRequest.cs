using System.Text;

namespace Teleport.Orleans.Gateway.Peering;

/// <summary>
/// The one request a gateway sends a peer after the TLS handshake, and the one-line answer:
/// <c>DIAL HOST_ID CLIENT_ADDR [TARGET]\n</c>, then <c>OK\n</c> (the connection now carries the node's SSH, or with a
/// TARGET host:port the app an app service reaches through its tunnel) or <c>ERR REASON\n</c>. Lines are read byte by
/// byte so nothing after them is taken from the stream.
/// </summary>
internal sealed record PeerRequest(string HostId, string ClientAddress, string Target = "")
{
    private const int MaxLine = 1024;
    private const string Dial = "DIAL";
    private const string Ok = "OK";
    private const string Error = "ERR ";

    public async Task WriteAsync(Stream stream, CancellationToken cancellationToken)
    {
        var client = ClientAddress.Length == 0 ? "-" : ClientAddress;
        var target = Target.Length == 0 ? "" : " " + Target;
        await stream.WriteAsync(Encoding.UTF8.GetBytes($"{Dial} {HostId} {client}{target}\n"), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public static async Task<PeerRequest> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var parts = (await ReadLineAsync(stream, cancellationToken)).Split(' ');
        if (parts.Length is not (3 or 4) || parts[0] != Dial || parts[1].Length == 0 || parts.Any(p => p.Any(char.IsControl))
            || (parts.Length == 4 && !PeerAddress.IsDialable(parts[3])))
        {
            throw new IOException("malformed peer request");
        }

        return new PeerRequest(parts[1], parts[2] == "-" ? "" : parts[2], parts.Length == 4 ? parts[3] : "");
    }

    public static async Task AnswerAsync(Stream stream, string? refusal, CancellationToken cancellationToken)
    {
        var line = refusal is null ? Ok : Error + refusal.ReplaceLineEndings(" ");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Null when the peer accepted, else its reason.</summary>
    public static async Task<string?> ReadAnswerAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(stream, cancellationToken);
        return line == Ok ? null
            : line.StartsWith(Error, StringComparison.Ordinal) ? line[Error.Length..]
            : throw new IOException("malformed peer answer");
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = new List<byte>(128);
        var one = new byte[1];
        while (line.Count < MaxLine)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("the peer closed the connection");
            }

            if (one[0] == (byte)'\n')
            {
                return Encoding.UTF8.GetString([.. line]);
            }

            line.Add(one[0]);
        }

        throw new IOException("the peer's line is too long");
    }
}

using System.Text;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>The identification strings of RFC 4253 §4.2.</summary>
internal static class VersionExchange
{
    public const string ServerVersion = "SSH-2.0-TeleportOrleans_0.1";

    /// <summary>255 bytes including CR LF, as RFC 4253 §4.2 allows.</summary>
    public const int MaxLineLength = 255;

    public static byte[] Encode(string version) => Encoding.ASCII.GetBytes(version + "\r\n");

    /// <summary>
    /// Reads the client's identification line. A client may not send other lines first (only a server may),
    /// so anything but <c>SSH-2.0-</c> (or the compatible <c>SSH-1.99-</c>) is refused.
    /// </summary>
    public static async ValueTask<string> ReadClientVersionAsync(StreamInput input, CancellationToken cancellationToken)
    {
        var line = await input.ReadLineAsync(MaxLineLength, cancellationToken).ConfigureAwait(false);
        return Parse(line);
    }

    /// <summary>Longest preface line a relay may send before the client's identification (it carries a certificate).</summary>
    public const int MaxPrefaceLength = 4096;

    /// <summary>
    /// As <see cref="ReadClientVersionAsync(StreamInput, CancellationToken)"/>, but the first line may instead be one
    /// preface line from a relay, handed to <paramref name="relayPreface"/>, which refuses it by returning false.
    /// </summary>
    public static async ValueTask<string> ReadClientVersionAsync(StreamInput input, Func<string, bool>? relayPreface, CancellationToken cancellationToken)
    {
        if (relayPreface is null)
        {
            return await ReadClientVersionAsync(input, cancellationToken).ConfigureAwait(false);
        }

        var line = await input.ReadLineAsync(MaxPrefaceLength, cancellationToken).ConfigureAwait(false);
        if (!line.AsSpan().StartsWith("SSH-"u8))
        {
            Printable(line);
            if (!relayPreface(Encoding.ASCII.GetString(line)))
            {
                throw new SshProtocolException(SshDisconnectReason.ProtocolVersionNotSupported, "The relay's preface was not accepted.");
            }

            line = await input.ReadLineAsync(MaxLineLength, cancellationToken).ConfigureAwait(false);
        }
        else if (line.Length + 1 > MaxLineLength)
        {
            throw new SshProtocolException(SshDisconnectReason.ProtocolVersionNotSupported, $"Identification line longer than {MaxLineLength} bytes.");
        }

        return Parse(line);
    }

    /// <summary>
    /// Reads the server's identification line. A server may send other lines first (RFC 4253 §4.2); they never
    /// start with <c>SSH-</c>, and at most <paramref name="maxPreambleLines"/> are skipped.
    /// </summary>
    public static async ValueTask<string> ReadServerVersionAsync(StreamInput input, int maxPreambleLines, CancellationToken cancellationToken)
    {
        string? firstLine = null;
        for (var i = 0; i <= maxPreambleLines; i++)
        {
            byte[] line;
            try
            {
                line = await input.ReadLineAsync(MaxLineLength, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException ex) when (firstLine is not null)
            {
                throw new SshProtocolException(
                    SshDisconnectReason.ProtocolVersionNotSupported, $"The peer is not an SSH server: it sent '{firstLine}' and no SSH identification.", ex);
            }

            if (line.AsSpan().StartsWith("SSH-"u8))
            {
                return Parse(line);
            }

            firstLine ??= Encoding.ASCII.GetString(line.AsSpan(0, Math.Min(line.Length, 60)));
        }

        throw new SshProtocolException(
            SshDisconnectReason.ProtocolVersionNotSupported, $"The peer is not an SSH server: no SSH identification within {maxPreambleLines} lines (first: '{firstLine}').");
    }

    public static string Parse(ReadOnlySpan<byte> line)
    {
        Printable(line);
        var text = Encoding.ASCII.GetString(line);
        var prefix = text.StartsWith("SSH-2.0-", StringComparison.Ordinal) ? "SSH-2.0-"
            : text.StartsWith("SSH-1.99-", StringComparison.Ordinal) ? "SSH-1.99-"
            : null;
        if (prefix is null || text.Length == prefix.Length || text[prefix.Length] == ' ')
        {
            var shown = text.Length > 40 ? text[..40] + "…" : text;
            throw new SshProtocolException(SshDisconnectReason.ProtocolVersionNotSupported, $"Invalid SSH identification string '{shown}'.");
        }

        return text;
    }

    private static void Printable(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            // Printable US-ASCII and space only; NUL and control bytes mean this is not an SSH peer.
            if (b is < 0x20 or > 0x7e)
            {
                throw new SshProtocolException(SshDisconnectReason.ProtocolVersionNotSupported, "Identification line contains non-printable bytes.");
            }
        }
    }
}

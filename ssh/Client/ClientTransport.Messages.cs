using System.Text;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>The server's identification line and the generic transport messages (DISCONNECT, DEBUG, UNIMPLEMENTED, EXT_INFO).</summary>
internal sealed partial class ClientTransport
{
    private async ValueTask<string> ReadServerVersionAsync(CancellationToken cancellationToken)
    {
        // RFC 4253 §4.2: the server may send other lines first; they never start with "SSH-".
        string? firstLine = null;
        for (var i = 0; i <= _settings.MaxPreambleLines; i++)
        {
            byte[] line;
            try
            {
                line = await _input.ReadLineAsync(VersionExchange.MaxLineLength, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException ex) when (firstLine is not null)
            {
                throw new SshProtocolException(
                    SshDisconnectReason.ProtocolVersionNotSupported, $"The peer is not an SSH server: it sent '{firstLine}' and no SSH identification.", ex);
            }

            if (line.AsSpan().StartsWith("SSH-"u8))
            {
                return VersionExchange.Parse(line);
            }

            firstLine ??= Encoding.ASCII.GetString(line.AsSpan(0, Math.Min(line.Length, 60)));
        }

        throw new SshProtocolException(
            SshDisconnectReason.ProtocolVersionNotSupported, $"The peer is not an SSH server: no SSH identification within {_settings.MaxPreambleLines} lines (first: '{firstLine}').");
    }

    private void HandleGenericMessage(byte[] payload)
    {
        // Strict kex (Terrapin countermeasure): nothing but kex messages until the first NEWKEYS.
        if (_strictKex && !_firstKexDone && payload[0] != SshMessage.Disconnect)
        {
            throw SshProtocolException.Protocol($"Message {payload[0]} during the initial strict key exchange.");
        }

        var reader = new SshReader(payload);
        reader.ReadByte();
        try
        {
            switch (payload[0])
            {
                case SshMessage.Disconnect:
                    var reason = (SshDisconnectReason)reader.ReadUInt32();
                    var description = Encoding.UTF8.GetString(reader.ReadString());
                    throw new SshPeerDisconnectedException(reason, description);
                case SshMessage.Debug:
                    reader.ReadBoolean();
                    LogPeerDebug(_logger, Encoding.UTF8.GetString(reader.ReadString()));
                    break;
                case SshMessage.Unimplemented:
                    LogPeerUnimplemented(_logger, reader.ReadUInt32());
                    break;
            }
        }
        catch (FormatException ex)
        {
            throw SshProtocolException.Protocol($"Malformed transport message {payload[0]}: {ex.Message}", ex);
        }
    }

    private void ReadExtInfo(byte[] payload)
    {
        try
        {
            var reader = new SshReader(payload);
            reader.ReadByte();
            var count = reader.ReadUInt32();
            for (var i = 0u; i < count; i++)
            {
                var name = reader.ReadUtf8String();
                var value = reader.ReadString();
                if (name == "server-sig-algs")
                {
                    ServerSignatureAlgorithms = Encoding.ASCII.GetString(value).Split(',', StringSplitOptions.RemoveEmptyEntries);
                    LogServerSignatureAlgorithms(_logger, string.Join(',', ServerSignatureAlgorithms));
                }
            }
        }
        catch (FormatException ex)
        {
            throw SshProtocolException.Protocol($"Malformed EXT_INFO: {ex.Message}", ex);
        }
    }
}

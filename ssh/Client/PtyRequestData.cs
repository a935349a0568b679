using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>The request-specific data of "pty-req" and "window-change" as the client sends them (RFC 4254 §6.2, §6.7, §8).</summary>
internal static class PtyRequestData
{
    public static byte[] Encode(string terminal, SshWindowSize size, IReadOnlyDictionary<SshTerminalMode, uint>? modes)
    {
        var encodedModes = new SshWriter(5 * (modes?.Count ?? 0) + 1);
        foreach (var (mode, value) in modes ?? new Dictionary<SshTerminalMode, uint>())
        {
            if ((byte)mode is 0 or >= 160)
            {
                throw new ArgumentException($"Terminal mode opcode {(byte)mode} is not a uint32 mode (1-159).", nameof(modes));
            }

            encodedModes.WriteByte((byte)mode).WriteUInt32(value);
        }

        encodedModes.WriteByte(0); // TTY_OP_END
        return WriteSize(new SshWriter(64 + encodedModes.Length).WriteString(terminal), size).WriteString(encodedModes).ToArray();
    }

    public static byte[] WindowChange(SshWindowSize size) => WriteSize(new SshWriter(16), size).ToArray();

    private static SshWriter WriteSize(SshWriter writer, SshWindowSize size) =>
        writer.WriteUInt32(size.Columns).WriteUInt32(size.Rows).WriteUInt32(size.WidthPixels).WriteUInt32(size.HeightPixels);
}

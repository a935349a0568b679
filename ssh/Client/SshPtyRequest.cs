using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>A pseudo-terminal request (RFC 4254 §6.2): terminal type, size, and encoded terminal modes.</summary>
public sealed class SshPtyRequest
{
    /// <summary>The TERM value, e.g. <c>xterm-256color</c>.</summary>
    public string Terminal { get; init; } = "xterm";

    public uint Columns { get; init; } = 80;

    public uint Rows { get; init; } = 24;

    public uint WidthPixels { get; init; }

    public uint HeightPixels { get; init; }

    /// <summary>Terminal modes as (opcode, value) pairs (RFC 4254 §8), e.g. (53 ECHO, 1); TTY_OP_END is added.</summary>
    public IReadOnlyList<(byte Opcode, uint Value)> Modes { get; init; } = [];

    internal byte[] Encode()
    {
        var modes = new SshWriter(5 * Modes.Count + 1);
        foreach (var (opcode, value) in Modes)
        {
            if (opcode is 0 or >= 160)
            {
                throw new ArgumentException($"Terminal mode opcode {opcode} is not a uint32 mode (1-159).");
            }

            modes.WriteByte(opcode).WriteUInt32(value);
        }

        modes.WriteByte(0); // TTY_OP_END
        return new SshWriter(64 + modes.Length)
            .WriteString(Terminal)
            .WriteUInt32(Columns)
            .WriteUInt32(Rows)
            .WriteUInt32(WidthPixels)
            .WriteUInt32(HeightPixels)
            .WriteString(modes)
            .ToArray();
    }
}

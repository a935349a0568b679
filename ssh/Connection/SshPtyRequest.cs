using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>A "pty-req" (RFC 4254 §6.2): the client's TERM, the terminal size and its encoded terminal modes.</summary>
public sealed class SshPtyRequest
{
    internal SshPtyRequest(string terminal, SshWindowSize size, IReadOnlyDictionary<SshTerminalMode, uint> modes)
    {
        Terminal = terminal;
        Size = size;
        Modes = modes;
    }

    /// <summary>The TERM environment variable value, e.g. "xterm-256color".</summary>
    public string Terminal { get; }

    public SshWindowSize Size { get; }

    /// <summary>
    /// The modes the client sent, in opcode order. Opcodes this library has no name for (1 to 159) are kept as
    /// their numeric value; parsing stops at TTY_OP_END or at the first opcode of 160 and above, whose argument
    /// size is not defined (RFC 4254 §8).
    /// </summary>
    public IReadOnlyDictionary<SshTerminalMode, uint> Modes { get; }

    /// <summary>Parses the request-specific data of "pty-req".</summary>
    internal static SshPtyRequest Read(ReadOnlySpan<byte> data)
    {
        var reader = new SshReader(data);
        var terminal = reader.ReadUtf8String();
        var size = new SshWindowSize(reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());
        var modes = ParseModes(reader.ReadString());
        reader.EnsureEnd("pty-req");
        return new SshPtyRequest(terminal, size, modes);
    }

    /// <summary>The encoded terminal modes: (byte opcode, uint32 argument)* ending with TTY_OP_END (0).</summary>
    internal static SortedDictionary<SshTerminalMode, uint> ParseModes(ReadOnlySpan<byte> encoded)
    {
        var modes = new SortedDictionary<SshTerminalMode, uint>();
        var reader = new SshReader(encoded);
        while (!reader.IsEmpty)
        {
            var opcode = reader.ReadByte();
            if (opcode is 0 or >= 160)
            {
                break;
            }

            // A repeated opcode: the last value wins, as a termios structure built in order would have it.
            modes[(SshTerminalMode)opcode] = reader.ReadUInt32();
        }

        return modes;
    }
}

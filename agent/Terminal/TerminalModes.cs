using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Unix;

namespace Teleport.Orleans.Agent.Terminal;

/// <summary>
/// Applies the encoded terminal modes of a "pty-req" (RFC 4254 §8) to a termios structure, as sshd does, so the
/// remote terminal erases, interrupts and translates newlines the way the client's terminal does. Opcodes Linux has
/// no equivalent for (VDSUSP, VSTATUS, VSWTCH, VFLUSH, PARMRK...) are skipped.
/// </summary>
internal static class TerminalModes
{
    // Linux control character indexes (asm-generic/termbits.h).
    private static readonly Dictionary<SshTerminalMode, int> ControlCharacters = new()
    {
        [SshTerminalMode.VINTR] = 0,
        [SshTerminalMode.VQUIT] = 1,
        [SshTerminalMode.VERASE] = 2,
        [SshTerminalMode.VKILL] = 3,
        [SshTerminalMode.VEOF] = 4,
        [SshTerminalMode.VSTART] = 8,
        [SshTerminalMode.VSTOP] = 9,
        [SshTerminalMode.VSUSP] = 10,
        [SshTerminalMode.VEOL] = 11,
        [SshTerminalMode.VREPRINT] = 12,
        [SshTerminalMode.VDISCARD] = 13,
        [SshTerminalMode.VWERASE] = 14,
        [SshTerminalMode.VLNEXT] = 15,
        [SshTerminalMode.VEOL2] = 16,
    };

    private static readonly Dictionary<SshTerminalMode, uint> InputFlags = new()
    {
        [SshTerminalMode.IGNPAR] = 0x4,
        [SshTerminalMode.PARMRK] = 0x8,
        [SshTerminalMode.INPCK] = 0x10,
        [SshTerminalMode.ISTRIP] = 0x20,
        [SshTerminalMode.INLCR] = 0x40,
        [SshTerminalMode.IGNCR] = 0x80,
        [SshTerminalMode.ICRNL] = 0x100,
        [SshTerminalMode.IUCLC] = 0x200,
        [SshTerminalMode.IXON] = 0x400,
        [SshTerminalMode.IXANY] = 0x800,
        [SshTerminalMode.IXOFF] = 0x1000,
        [SshTerminalMode.IMAXBEL] = 0x2000,
        [SshTerminalMode.IUTF8] = 0x4000,
    };

    private static readonly Dictionary<SshTerminalMode, uint> LocalFlags = new()
    {
        [SshTerminalMode.ISIG] = 0x1,
        [SshTerminalMode.ICANON] = 0x2,
        [SshTerminalMode.XCASE] = 0x4,
        [SshTerminalMode.ECHO] = 0x8,
        [SshTerminalMode.ECHOE] = 0x10,
        [SshTerminalMode.ECHOK] = 0x20,
        [SshTerminalMode.ECHONL] = 0x40,
        [SshTerminalMode.NOFLSH] = 0x80,
        [SshTerminalMode.TOSTOP] = 0x100,
        [SshTerminalMode.ECHOCTL] = 0x200,
        [SshTerminalMode.ECHOKE] = 0x800,
        [SshTerminalMode.PENDIN] = 0x4000,
        [SshTerminalMode.IEXTEN] = 0x8000,
    };

    private static readonly Dictionary<SshTerminalMode, uint> OutputFlags = new()
    {
        [SshTerminalMode.OPOST] = 0x1,
        [SshTerminalMode.OLCUC] = 0x2,
        [SshTerminalMode.ONLCR] = 0x4,
        [SshTerminalMode.OCRNL] = 0x8,
        [SshTerminalMode.ONOCR] = 0x10,
        [SshTerminalMode.ONLRET] = 0x20,
    };

    private const uint CSIZE = 0x30;
    private const uint CS7 = 0x20;
    private const uint CS8 = 0x30;
    private const uint PARENB = 0x100;
    private const uint PARODD = 0x200;

    // Baud rates as Linux's speed_t codes (B0..B38400 are 0..15, then B57600 = 0x1001 onwards).
    private static readonly (uint Rate, uint Code)[] Speeds =
    [
        (0, 0), (50, 1), (75, 2), (110, 3), (134, 4), (150, 5), (200, 6), (300, 7), (600, 8), (1200, 9), (1800, 10),
        (2400, 11), (4800, 12), (9600, 13), (19200, 14), (38400, 15), (57600, 0x1001), (115200, 0x1002),
        (230400, 0x1003), (460800, 0x1004), (500000, 0x1005), (576000, 0x1006), (921600, 0x1007), (1000000, 0x1008),
    ];

    /// <summary>Sets the modes the client sent on <paramref name="termios"/>, speeds included.</summary>
    public static unsafe void Apply(ref Libc.Termios termios, IReadOnlyDictionary<SshTerminalMode, uint> modes)
    {
        foreach (var (mode, value) in modes)
        {
            if (ControlCharacters.TryGetValue(mode, out var index))
            {
                termios.ControlCharacters[index] = (byte)value;
            }
            else if (InputFlags.TryGetValue(mode, out var inputFlag))
            {
                termios.InputFlags = Set(termios.InputFlags, inputFlag, value);
            }
            else if (LocalFlags.TryGetValue(mode, out var localFlag))
            {
                termios.LocalFlags = Set(termios.LocalFlags, localFlag, value);
            }
            else if (OutputFlags.TryGetValue(mode, out var outputFlag))
            {
                termios.OutputFlags = Set(termios.OutputFlags, outputFlag, value);
            }
            else if (mode == SshTerminalMode.CS7 && value != 0)
            {
                termios.ControlFlags = (termios.ControlFlags & ~CSIZE) | CS7;
            }
            else if (mode == SshTerminalMode.CS8 && value != 0)
            {
                termios.ControlFlags = (termios.ControlFlags & ~CSIZE) | CS8;
            }
            else if (mode == SshTerminalMode.PARENB)
            {
                termios.ControlFlags = Set(termios.ControlFlags, PARENB, value);
            }
            else if (mode == SshTerminalMode.PARODD)
            {
                termios.ControlFlags = Set(termios.ControlFlags, PARODD, value);
            }
            else if (mode is SshTerminalMode.InputSpeed or SshTerminalMode.OutputSpeed && SpeedCode(value) is { } code)
            {
                fixed (Libc.Termios* pointer = &termios)
                {
                    _ = mode == SshTerminalMode.InputSpeed ? Libc.cfsetispeed(pointer, code) : Libc.cfsetospeed(pointer, code);
                }
            }
        }
    }

    /// <summary>The speed_t code of a baud rate; rates between codes round down, as a terminal cannot go faster than asked.</summary>
    public static uint? SpeedCode(uint rate)
    {
        uint? code = null;
        foreach (var speed in Speeds)
        {
            if (speed.Rate <= rate)
            {
                code = speed.Code;
            }
        }

        return code;
    }

    private static uint Set(uint flags, uint flag, uint value) => value != 0 ? flags | flag : flags & ~flag;
}

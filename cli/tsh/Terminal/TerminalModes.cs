using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Unix;

namespace Teleport.Orleans.Cli.Tsh.Terminal;

/// <summary>
/// The local terminal's settings as the encoded terminal modes of "pty-req" (RFC 4254 §8), as OpenSSH's
/// tty_make_modes sends them, so the remote terminal erases, interrupts and translates as the local one did.
/// </summary>
internal static class TerminalModes
{
    /// <summary>A disabled control character (Linux's _POSIX_VDISABLE), sent as 255 as the RFC asks.</summary>
    private const byte Disabled = 0;

    // Linux control character indexes and flags (asm-generic/termbits.h).
    private static readonly (SshTerminalMode Mode, int Index)[] ControlCharacters =
    [
        (SshTerminalMode.VINTR, 0), (SshTerminalMode.VQUIT, 1), (SshTerminalMode.VERASE, 2), (SshTerminalMode.VKILL, 3),
        (SshTerminalMode.VEOF, 4), (SshTerminalMode.VEOL, 11), (SshTerminalMode.VEOL2, 16), (SshTerminalMode.VSTART, 8),
        (SshTerminalMode.VSTOP, 9), (SshTerminalMode.VSUSP, 10), (SshTerminalMode.VREPRINT, 12), (SshTerminalMode.VWERASE, 14),
        (SshTerminalMode.VLNEXT, 15), (SshTerminalMode.VDISCARD, 13),
    ];

    private static readonly (SshTerminalMode Mode, uint Flag)[] InputFlags =
    [
        (SshTerminalMode.IGNPAR, 0x4), (SshTerminalMode.PARMRK, 0x8), (SshTerminalMode.INPCK, 0x10), (SshTerminalMode.ISTRIP, 0x20),
        (SshTerminalMode.INLCR, 0x40), (SshTerminalMode.IGNCR, 0x80), (SshTerminalMode.ICRNL, 0x100), (SshTerminalMode.IUCLC, 0x200),
        (SshTerminalMode.IXON, 0x400), (SshTerminalMode.IXANY, 0x800), (SshTerminalMode.IXOFF, 0x1000), (SshTerminalMode.IMAXBEL, 0x2000),
        (SshTerminalMode.IUTF8, 0x4000),
    ];

    private static readonly (SshTerminalMode Mode, uint Flag)[] LocalFlags =
    [
        (SshTerminalMode.ISIG, 0x1), (SshTerminalMode.ICANON, 0x2), (SshTerminalMode.XCASE, 0x4), (SshTerminalMode.ECHO, 0x8),
        (SshTerminalMode.ECHOE, 0x10), (SshTerminalMode.ECHOK, 0x20), (SshTerminalMode.ECHONL, 0x40), (SshTerminalMode.NOFLSH, 0x80),
        (SshTerminalMode.TOSTOP, 0x100), (SshTerminalMode.IEXTEN, 0x8000), (SshTerminalMode.ECHOCTL, 0x200), (SshTerminalMode.ECHOKE, 0x800),
        (SshTerminalMode.PENDIN, 0x4000),
    ];

    private static readonly (SshTerminalMode Mode, uint Flag)[] OutputFlags =
    [
        (SshTerminalMode.OPOST, 0x1), (SshTerminalMode.OLCUC, 0x2), (SshTerminalMode.ONLCR, 0x4), (SshTerminalMode.OCRNL, 0x8),
        (SshTerminalMode.ONOCR, 0x10), (SshTerminalMode.ONLRET, 0x20),
    ];

    private static readonly (SshTerminalMode Mode, uint Flag)[] ControlFlags =
    [
        (SshTerminalMode.CS7, 0x20), (SshTerminalMode.CS8, 0x30), (SshTerminalMode.PARENB, 0x100), (SshTerminalMode.PARODD, 0x200),
    ];

    // Linux speed_t codes: B0..B38400 are 0..15, B57600 and up 0x1001 onwards.
    private static readonly uint[] LowRates = [0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400];
    private static readonly uint[] HighRates = [57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000];

    /// <summary>The modes of <paramref name="termios"/>, speeds first as OpenSSH orders them.</summary>
    public static unsafe Dictionary<SshTerminalMode, uint> Encode(Libc.Termios termios)
    {
        var modes = new Dictionary<SshTerminalMode, uint>
        {
            [SshTerminalMode.InputSpeed] = BaudRate(Libc.cfgetispeed(&termios)),
            [SshTerminalMode.OutputSpeed] = BaudRate(Libc.cfgetospeed(&termios)),
        };
        foreach (var (mode, index) in ControlCharacters)
        {
            var value = termios.ControlCharacters[index];
            modes[mode] = value == Disabled ? 255u : value;
        }

        Flags(modes, InputFlags, termios.InputFlags);
        Flags(modes, LocalFlags, termios.LocalFlags);
        Flags(modes, OutputFlags, termios.OutputFlags);
        // As OpenSSH: a bit test, so CS8 terminals also report CS7 (its bit is part of CS8).
        Flags(modes, ControlFlags, termios.ControlFlags);
        return modes;
    }

    /// <summary>The baud rate of a speed_t code (0 for codes this table does not know).</summary>
    public static uint BaudRate(uint code) =>
        code < LowRates.Length ? LowRates[code]
        : code is >= 0x1001 and < 0x1001 + 8 ? HighRates[code - 0x1001]
        : 0;

    private static void Flags(Dictionary<SshTerminalMode, uint> modes, (SshTerminalMode Mode, uint Flag)[] table, uint flags)
    {
        foreach (var (mode, flag) in table)
        {
            modes[mode] = (flags & flag) != 0 ? 1u : 0u;
        }
    }
}

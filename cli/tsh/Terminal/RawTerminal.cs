using Teleport.Orleans.Unix;
namespace Teleport.Orleans.Cli.Tsh.Terminal;

/// <summary>
/// The local terminal in raw mode for an interactive session, as OpenSSH's enter_raw_mode sets it: no local echo,
/// no line editing, no signals from Ctrl-C/Ctrl-Z/Ctrl-\ (they reach the remote side as bytes), no output
/// post-processing, no CR-to-NL or flow control. The settings found on entry are put back on dispose, and also at
/// process exit, on an unhandled exception and when tsh is told to terminate (<see cref="RestoreActive"/>), so no
/// exit path leaves the user's terminal raw.
/// </summary>
internal sealed class RawTerminal : IDisposable
{
    // Linux termios flags (asm-generic/termbits.h).
    private const uint IGNPAR = 0x4;
    private const uint ISTRIP = 0x20;
    private const uint INLCR = 0x40;
    private const uint IGNCR = 0x80;
    private const uint ICRNL = 0x100;
    private const uint IUCLC = 0x200;
    private const uint IXON = 0x400;
    private const uint IXANY = 0x800;
    private const uint IXOFF = 0x1000;
    private const uint OPOST = 0x1;
    private const uint ISIG = 0x1;
    private const uint ICANON = 0x2;
    private const uint ECHO = 0x8;
    private const uint ECHOE = 0x10;
    private const uint ECHOK = 0x20;
    private const uint ECHONL = 0x40;
    private const uint IEXTEN = 0x8000;
    private const int VTIME = 5;
    private const int VMIN = 6;

    private static RawTerminal? s_active;

    private readonly int _fd;
    private readonly Libc.Termios _saved;
    private readonly Lock _gate = new();
    private bool _raw;

    static RawTerminal()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RestoreActive();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => RestoreActive();
    }

    private RawTerminal(int fd, Libc.Termios saved)
    {
        _fd = fd;
        _saved = saved;
    }

    /// <summary>The settings the terminal had before raw mode (what the remote terminal should imitate).</summary>
    public Libc.Termios Saved => _saved;

    /// <summary>Whether <paramref name="fd"/> is a terminal (false off Linux, where the termios layout here does not apply).</summary>
    public static bool IsTerminal(int fd) => OperatingSystem.IsLinux() && Libc.isatty(fd) == 1;

    /// <summary>The current settings of terminal <paramref name="fd"/>, or null when it is not a terminal.</summary>
    public static unsafe Libc.Termios? Read(int fd)
    {
        if (!IsTerminal(fd))
        {
            return null;
        }

        Libc.Termios termios;
        return Libc.tcgetattr(fd, &termios) == 0 ? termios : null;
    }

    /// <summary>Puts terminal <paramref name="fd"/> in raw mode; null (nothing changed) when it is not a terminal.</summary>
    public static RawTerminal? Enter(int fd = Libc.StandardInput)
    {
        if (Read(fd) is not { } saved)
        {
            return null;
        }

        var terminal = new RawTerminal(fd, saved);
        s_active = terminal;
        terminal.Resume();
        return terminal;
    }

    /// <summary>Puts the saved settings back on the terminal in raw mode now, if any (signal handlers, process exit).</summary>
    public static void RestoreActive() => s_active?.Suspend();

    /// <summary>Whether a terminal is in raw mode now: a message then needs "\r\n" to start a line of its own.</summary>
    public static bool AnyRaw => s_active?.IsRaw == true;

    /// <summary>(Re-)enters raw mode, e.g. after a suspension.</summary>
    public unsafe void Resume()
    {
        lock (_gate)
        {
            var raw = _saved;
            raw.InputFlags |= IGNPAR;
            raw.InputFlags &= ~(ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXANY | IXOFF | IUCLC);
            raw.LocalFlags &= ~(ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHONL | IEXTEN);
            raw.OutputFlags &= ~OPOST;
            raw.ControlCharacters[VMIN] = 1;
            raw.ControlCharacters[VTIME] = 0;
            _raw = Libc.tcsetattr(_fd, Libc.TCSADRAIN, &raw) == 0;
        }
    }

    /// <summary>Puts the saved settings back, leaving raw mode until <see cref="Resume"/>.</summary>
    public unsafe void Suspend()
    {
        lock (_gate)
        {
            if (_raw)
            {
                var saved = _saved;
                Libc.tcsetattr(_fd, Libc.TCSADRAIN, &saved);
                _raw = false;
            }
        }
    }

    /// <summary>Whether raw mode is meant to be on (it is re-applied when tsh is continued after a stop).</summary>
    public bool IsRaw
    {
        get
        {
            lock (_gate)
            {
                return _raw;
            }
        }
    }

    public void Dispose()
    {
        Suspend();
        Interlocked.CompareExchange(ref s_active, null, this);
    }
}

using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Unix;

namespace Teleport.Orleans.Agent.Terminal;

/// <summary>
/// A pseudo-terminal pair: the node keeps the master; the session's process opens the slave by its path
/// (/dev/pts/N) as its first act in a new session, which makes it the controlling terminal. The master is opened
/// with posix_openpt(O_CLOEXEC) rather than openpty so no other child the process spawns meanwhile inherits it, and
/// the parent never holds the slave open: when the session's processes are gone, reads of the master end (EIO).
/// Linux applies termios and window-size ioctls on the master to the slave.
/// </summary>
internal sealed unsafe class PseudoTerminal : IDisposable
{
    private readonly SafeFileHandle _master;

    private PseudoTerminal(SafeFileHandle master, string slavePath)
    {
        _master = master;
        SlavePath = slavePath;
    }

    /// <summary>/dev/pts/N, the session's terminal (SSH_TTY).</summary>
    public string SlavePath { get; }

    public static PseudoTerminal Open(SshWindowSize size, IReadOnlyDictionary<SshTerminalMode, uint> modes)
    {
        var fd = Libc.posix_openpt(Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "posix_openpt failed");
        }

        var master = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            Check(Libc.grantpt(fd), "grantpt");
            Check(Libc.unlockpt(fd), "unlockpt");
            var name = stackalloc byte[128];
            var error = Libc.ptsname_r(fd, name, 128);
            if (error != 0)
            {
                throw new Win32Exception(error, "ptsname_r failed");
            }

            var terminal = new PseudoTerminal(master, NativeText.Decode(name));
            terminal.Resize(size);
            terminal.SetModes(modes);
            return terminal;
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    /// <summary>TIOCSWINSZ: the kernel sends SIGWINCH to the terminal's foreground process group.</summary>
    public void Resize(SshWindowSize size)
    {
        var winSize = new Libc.WinSize
        {
            Columns = Clamp(size.Columns),
            Rows = Clamp(size.Rows),
            WidthPixels = Clamp(size.WidthPixels),
            HeightPixels = Clamp(size.HeightPixels),
        };
        Check(Libc.ioctl(Fd, Libc.TIOCSWINSZ, &winSize), "ioctl(TIOCSWINSZ)");
    }

    /// <summary>Gives the slave to the session's user the way sshd does: owner rw, group tty w (for write/wall).</summary>
    public void GiveTo(UnixUser user)
    {
        var path = NativeText.Encode(SlavePath);
        var group = UnixUser.GroupId("tty") ?? user.Gid;
        fixed (byte* pointer = path)
        {
            Check(Libc.chown(pointer, user.Uid, group), "chown(" + SlavePath + ")");
            Check(Libc.chmod(pointer, Convert.ToUInt32("620", 8)), "chmod(" + SlavePath + ")");
        }
    }

    /// <summary>A stream over a duplicate of the master: reads are the terminal's output, writes its input.</summary>
    public Stream OpenStream()
    {
        var fd = Libc.fcntl(Fd, Libc.F_DUPFD_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "fcntl(F_DUPFD_CLOEXEC) failed");
        }

        return new TerminalStream(new Socket(new SafeSocketHandle(fd, ownsHandle: true)));
    }

    public void Dispose() => _master.Dispose();

    private int Fd => (int)_master.DangerousGetHandle();

    private void SetModes(IReadOnlyDictionary<SshTerminalMode, uint> modes)
    {
        if (modes.Count == 0)
        {
            return;
        }

        Libc.Termios termios;
        Check(Libc.tcgetattr(Fd, &termios), "tcgetattr");
        TerminalModes.Apply(ref termios, modes);
        Check(Libc.tcsetattr(Fd, Libc.TCSANOW, &termios), "tcsetattr");
    }

    private static ushort Clamp(uint value) => (ushort)Math.Min(value, ushort.MaxValue);

    private static void Check(int result, string call)
    {
        if (result < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), call + " failed");
        }
    }
}

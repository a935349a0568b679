using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Unix;

namespace Teleport.Orleans.Cli.Tsh.Terminal;

/// <summary>The local terminal's size (ioctl TIOCGWINSZ) as "pty-req" and "window-change" carry it.</summary>
internal static class TerminalSize
{
    /// <summary>What a terminal of unknown size is taken to be.</summary>
    public static readonly SshWindowSize Default = new(80, 24, 0, 0);

    /// <summary>The size of the terminal on standard input, else standard output, else <see cref="Default"/>.</summary>
    public static SshWindowSize Current() => Of(Libc.StandardInput) ?? Of(Libc.StandardOutput) ?? Default;

    private static unsafe SshWindowSize? Of(int fd)
    {
        if (!RawTerminal.IsTerminal(fd))
        {
            return null;
        }

        Libc.WinSize size;
        return Libc.ioctl(fd, Libc.TIOCGWINSZ, &size) == 0 && size.Columns > 0 && size.Rows > 0
            ? new SshWindowSize(size.Columns, size.Rows, size.WidthPixels, size.HeightPixels)
            : null;
    }
}

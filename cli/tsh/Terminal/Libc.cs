using System.Runtime.InteropServices;

namespace Teleport.Orleans.Cli.Tsh.Terminal;

/// <summary>
/// The libc calls a terminal client needs and .NET does not expose: termios, the window size, isatty, read and
/// signalling itself. Constants and struct layouts are Linux (glibc, x86-64 and arm64).
/// </summary>
internal static unsafe partial class Libc
{
    public const int StandardInput = 0;
    public const int StandardOutput = 1;
    public const int EINTR = 4;
    public const int SIGTSTP = 20;
    public const nuint TIOCGWINSZ = 0x5413;

    /// <summary>Apply after the output written so far has drained (as OpenSSH's enter_raw_mode).</summary>
    public const int TCSADRAIN = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort WidthPixels;
        public ushort HeightPixels;
    }

    /// <summary>glibc's struct termios (60 bytes): four flag words, the line discipline, 32 control characters, the speeds.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Termios
    {
        public uint InputFlags;
        public uint OutputFlags;
        public uint ControlFlags;
        public uint LocalFlags;
        public byte Line;
        public fixed byte ControlCharacters[32];
        public uint InputSpeed;
        public uint OutputSpeed;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int isatty(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, void* argument);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int tcgetattr(int fd, Termios* termios);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int tcsetattr(int fd, int actions, Termios* termios);

    [LibraryImport("libc")]
    public static partial uint cfgetispeed(Termios* termios);

    [LibraryImport("libc")]
    public static partial uint cfgetospeed(Termios* termios);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);
}

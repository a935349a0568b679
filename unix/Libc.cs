using System.Runtime.InteropServices;

namespace Teleport.Orleans.Unix;

/// <summary>
/// The libc calls .NET does not expose, one copy for the node and tsh: pseudo-terminals, termios and the window size,
/// posix_spawn with a new session and default signal dispositions, waitpid on one pid, pidfds and epoll, signals, the user database,
/// isatty and read. Constants and struct layouts are Linux (glibc, x86-64 and arm64), where both run terminals.
/// </summary>
public static unsafe partial class Libc
{
    private const string Library = "libc";

    public const int StandardInput = 0;
    public const int StandardOutput = 1;

    public const int O_RDWR = 0x2;
    public const int O_NOCTTY = 0x100;
    public const int O_CLOEXEC = 0x80000;
    public const int F_DUPFD_CLOEXEC = 1030;

    public const int EINTR = 4;
    public const int ECHILD = 10;
    public const int ESRCH = 3;
    public const int ERANGE = 34;

    /// <summary>Stop from the terminal (Ctrl-Z): tsh sends it to itself after restoring the terminal.</summary>
    public const int SIGTSTP = 20;

    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const short POSIX_SPAWN_SETSID = 0x80;

    public const nuint TIOCSWINSZ = 0x5414;
    public const nuint TIOCGWINSZ = 0x5413;
    public const int TCSANOW = 0;

    /// <summary>Apply after the output written so far has drained (as OpenSSH's enter_raw_mode).</summary>
    public const int TCSADRAIN = 1;

    /// <summary>Opaque glibc structures are smaller than this (posix_spawnattr_t 336, file actions 80, sigset_t 128).</summary>
    public const int OpaqueSize = 1024;

    /// <summary>glibc's sigset_t: 1024 bits.</summary>
    public const int SigsetSize = 128;

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

    [StructLayout(LayoutKind.Sequential)]
    public struct Passwd
    {
        public byte* Name;
        public byte* Password;
        public uint Uid;
        public uint Gid;
        public byte* Gecos;
        public byte* Directory;
        public byte* Shell;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Group
    {
        public byte* Name;
        public byte* Password;
        public uint Gid;
        public byte** Members;
    }

    [LibraryImport(Library, SetLastError = true)]
    public static partial int posix_openpt(int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int grantpt(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int unlockpt(int fd);

    [LibraryImport(Library)]
    public static partial int ptsname_r(int fd, byte* buffer, nuint length);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, void* argument);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int tcgetattr(int fd, Termios* termios);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int tcsetattr(int fd, int actions, Termios* termios);

    [LibraryImport(Library)]
    public static partial uint cfgetispeed(Termios* termios);

    [LibraryImport(Library)]
    public static partial uint cfgetospeed(Termios* termios);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int isatty(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int cfsetispeed(Termios* termios, uint speed);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int cfsetospeed(Termios* termios, uint speed);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int chown(byte* path, uint uid, uint gid);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int chmod(byte* path, uint mode);

    [LibraryImport(Library)]
    public static partial uint geteuid();

    [LibraryImport(Library)]
    public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setsigmask(void* attributes, void* mask);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setsigdefault(void* attributes, void* signals);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_addopen(void* actions, int fd, byte* path, int flags, uint mode);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newFd);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_addchdir_np(void* actions, byte* path);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int sigemptyset(void* set);

    /// <summary>waitpid's option to answer 0 at once when the child has not ended yet.</summary>
    public const int WNOHANG = 1;

    [LibraryImport(Library, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int kill(int pid, int signal);

    /// <summary>A descriptor for a process, readable once it has ended (Linux 5.3, glibc 2.36).</summary>
    [LibraryImport(Library, SetLastError = true)]
    public static partial int pidfd_open(int pid, uint flags);

    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const uint EPOLLIN = 0x1;

    /// <summary>struct epoll_event: packed (12 bytes) on x86-64, naturally aligned (16) elsewhere.</summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Where epoll_event's 64-bit data field starts.</summary>
    public static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport(Library, SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int epoll_ctl(int epoll, int operation, int fd, byte* epollEvent);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int epoll_wait(int epoll, byte* events, int maxEvents, int timeoutMs);

    [LibraryImport(Library)]
    public static partial int getpwnam_r(byte* name, Passwd* entry, byte* buffer, nuint length, Passwd** result);

    [LibraryImport(Library)]
    public static partial int getgrnam_r(byte* name, Group* entry, byte* buffer, nuint length, Group** result);
}

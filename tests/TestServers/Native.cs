using System.Runtime.InteropServices;

namespace Teleport.Orleans.TestServers;

/// <summary>The two POSIX calls the server fixtures need: who we are, and a polite signal to one process id.</summary>
public static partial class Native
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    public static bool IsRoot => geteuid() == 0;

    public static void Signal(int pid, int signal) => _ = kill(pid, signal);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc")]
    private static partial int kill(int pid, int sig);
}

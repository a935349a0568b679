namespace Teleport.Orleans.Cli.Tsh;

/// <summary>
/// Runs socket completions on the runtime's socket event thread instead of queueing each to the thread pool
/// (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS, read when the first socket is used, so set before any). Every
/// echo of a typed key arrives as one read of the proxy connection: inline, it reaches the SSH reader without
/// waiting for a pool thread to wake, which on a busy machine was a large part of tsh's keystroke latency. tsh's
/// code after a socket read never blocks a thread (it awaits), so the event thread is not held up. A value the
/// user set is left alone.
/// </summary>
internal static class LowLatencySockets
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Enable()
    {
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}

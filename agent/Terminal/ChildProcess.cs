using System.ComponentModel;
using System.Runtime.InteropServices;
using Teleport.Orleans.Unix;

namespace Teleport.Orleans.Agent.Terminal;

/// <summary>How a spawned process ended: its exit code, or the signal that killed it.</summary>
internal readonly record struct ChildExit(int? Code, int? Signal, bool CoreDumped)
{
    /// <summary>Decodes a waitpid status (WIFEXITED / WIFSIGNALED).</summary>
    public static ChildExit FromStatus(int status)
    {
        var signal = status & 0x7f;
        return signal == 0 ? new ChildExit((status >> 8) & 0xff, null, false) : new ChildExit(null, signal, (status & 0x80) != 0);
    }
}

/// <summary>
/// A process started with posix_spawn as the leader of a new session (POSIX_SPAWN_SETSID) with every signal at its
/// default disposition and none blocked: .NET ignores SIGPIPE and a child would inherit that. Never fork() from
/// managed code. The process is reaped with waitpid on its own pid only (by <see cref="ChildReaper"/>, or where it
/// cannot watch, on a dedicated thread), so the runtime's own SIGCHLD handling (which reaps only the children
/// System.Diagnostics.Process started) is left alone.
/// </summary>
internal sealed unsafe class ChildProcess
{
    private readonly Task<ChildExit> _exited;

    private ChildProcess(int pid)
    {
        Id = pid;
        _exited = ChildReaper.Shared?.Watch(pid)
            ?? Task.Factory.StartNew(() => WaitFor(pid), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public int Id { get; }

    /// <summary>Completes when the process has ended and been reaped.</summary>
    public Task<ChildExit> Exited => _exited;

    /// <summary>
    /// Starts <paramref name="path"/> with <paramref name="arguments"/> (argv, argv[0] included) and exactly
    /// <paramref name="environment"/> (NAME=value) in <paramref name="workingDirectory"/>. With a
    /// <paramref name="terminalPath"/>, stdin, stdout and stderr are that terminal, opened by the new session leader
    /// so that it becomes its controlling terminal; otherwise they are the given descriptors.
    /// </summary>
    public static ChildProcess Spawn(
        string path, IReadOnlyList<string> arguments, IReadOnlyList<string> environment, string workingDirectory,
        string? terminalPath, (int Input, int Output, int Error) descriptors = default)
    {
        var attributes = NativeMemory.AllocZeroed(Libc.OpaqueSize);
        var actions = NativeMemory.AllocZeroed(Libc.OpaqueSize);
        var signalSet = NativeMemory.AllocZeroed(Libc.OpaqueSize);
        var strings = new List<nint>();
        try
        {
            Check(Libc.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            Check(Libc.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            Check(Libc.posix_spawnattr_setflags(attributes, Libc.POSIX_SPAWN_SETSID | Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF), "posix_spawnattr_setflags");
            _ = Libc.sigemptyset(signalSet);
            Check(Libc.posix_spawnattr_setsigmask(attributes, signalSet), "posix_spawnattr_setsigmask");
            // Every signal to SIG_DFL, glibc's internal ones (32, 33) included: sigfillset leaves them out, and
            // posix_spawn then sets them to SIG_IGN in the child, which survives the exec.
            NativeMemory.Fill(signalSet, Libc.SigsetSize, 0xFF);
            Check(Libc.posix_spawnattr_setsigdefault(attributes, signalSet), "posix_spawnattr_setsigdefault");

            if (terminalPath is not null)
            {
                // glibc runs setsid before the file actions, so this open (without O_NOCTTY) acquires the terminal.
                Check(Libc.posix_spawn_file_actions_addopen(actions, 0, Native(terminalPath, strings), Libc.O_RDWR, 0), "addopen");
                Check(Libc.posix_spawn_file_actions_adddup2(actions, 0, 1), "adddup2");
                Check(Libc.posix_spawn_file_actions_adddup2(actions, 0, 2), "adddup2");
            }
            else
            {
                Check(Libc.posix_spawn_file_actions_adddup2(actions, descriptors.Input, 0), "adddup2");
                Check(Libc.posix_spawn_file_actions_adddup2(actions, descriptors.Output, 1), "adddup2");
                Check(Libc.posix_spawn_file_actions_adddup2(actions, descriptors.Error, 2), "adddup2");
            }

            Check(Libc.posix_spawn_file_actions_addchdir_np(actions, Native(workingDirectory, strings)), "addchdir");

            var argv = NativeArray(arguments, strings);
            var envp = NativeArray(environment, strings);
            int pid;
            var error = Libc.posix_spawn(&pid, Native(path, strings), actions, attributes, argv, envp);
            if (error != 0)
            {
                throw new Win32Exception(error, $"Could not start {path}: {new Win32Exception(error).Message}");
            }

            return new ChildProcess(pid);
        }
        finally
        {
            _ = Libc.posix_spawn_file_actions_destroy(actions);
            _ = Libc.posix_spawnattr_destroy(attributes);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signalSet);
            foreach (var pointer in strings)
            {
                NativeMemory.Free((void*)pointer);
            }
        }
    }

    /// <summary>Sends <paramref name="signal"/> to the session's whole process group; false when nothing was left to signal.</summary>
    public bool SignalGroup(int signal) => Libc.kill(-Id, signal) == 0;

    /// <summary>Waits for <paramref name="pid"/>, a child of this process, to end and reaps it (waitpid on that pid only).</summary>
    internal static ChildExit WaitFor(int pid) => Reap(pid, 0)!.Value;

    /// <summary>Reaps <paramref name="pid"/> if it has ended; null while it still runs. Never blocks.</summary>
    internal static ChildExit? TryReap(int pid) => Reap(pid, Libc.WNOHANG);

    private static ChildExit? Reap(int pid, int options)
    {
        int status;
        while (true)
        {
            var result = Libc.waitpid(pid, &status, options);
            if (result == pid)
            {
                return ChildExit.FromStatus(status);
            }

            if (result == 0)
            {
                return null;
            }

            var error = Marshal.GetLastPInvokeError();
            if (error != Libc.EINTR)
            {
                throw new Win32Exception(error, $"waitpid({pid}) failed");
            }
        }
    }

    private static byte* Native(string text, List<nint> strings)
    {
        var bytes = NativeText.Encode(text);
        var pointer = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>(pointer, bytes.Length));
        strings.Add((nint)pointer);
        return pointer;
    }

    private static byte** NativeArray(IReadOnlyList<string> items, List<nint> strings)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(items.Count + 1), (nuint)sizeof(nint));
        strings.Add((nint)array);
        for (var i = 0; i < items.Count; i++)
        {
            array[i] = Native(items[i], strings);
        }

        return array;
    }

    private static void Check(int error, string call)
    {
        if (error != 0)
        {
            throw new Win32Exception(error, call + " failed");
        }
    }
}

using System.Collections.Concurrent;
using System.ComponentModel;
using System.Runtime.InteropServices;
using Teleport.Orleans.Unix;

namespace Teleport.Orleans.Agent.Terminal;

/// <summary>
/// Reaps every process the node spawns with one thread: each child's pidfd becomes readable when the child ends, one
/// epoll instance watches them all, and the child is then collected with waitpid on its own pid (so the runtime's
/// own children are left to the runtime). A thread blocked in waitpid per session held 1,000 threads for 1,000 held
/// sessions. Null <see cref="Shared"/> (a kernel before 5.3, a glibc before 2.36): <see cref="ChildProcess"/> waits on
/// a thread of its own, as before.
/// </summary>
/// <remarks>
/// An event names its child by a number never used twice, not by the pidfd: a closed pidfd's number is soon another
/// child's, and closing alone does not take a pidfd out of the epoll set while a fork in progress elsewhere in the
/// process (a posix_spawn, Process.Start) still holds a copy of it, so a stale event could name the new child. Each
/// pidfd is therefore removed from the set before it is closed, and the reaper never blocks: a child that has not
/// ended (waitpid with WNOHANG answers 0) stays watched.
/// </remarks>
internal sealed unsafe class ChildReaper
{
    private const int BatchSize = 64;

    private readonly int _epoll;
    private readonly ConcurrentDictionary<long, Child> _children = new();
    private long _lastToken;

    private ChildReaper(int epoll)
    {
        _epoll = epoll;
        new Thread(Run) { IsBackground = true, Name = "Child reaper" }.Start();
    }

    public static ChildReaper? Shared { get; } = TryCreate();

    /// <summary>Completes when <paramref name="pid"/> has ended and been reaped; null when it cannot be watched here.</summary>
    public Task<ChildExit>? Watch(int pid)
    {
        var pidfd = Libc.pidfd_open(pid, 0);
        if (pidfd < 0)
        {
            return null;
        }

        var token = Interlocked.Increment(ref _lastToken);
        var child = new Child(pid, pidfd, new TaskCompletionSource<ChildExit>(TaskCreationOptions.RunContinuationsAsynchronously));
        _children[token] = child;
        if (Control(Libc.EPOLL_CTL_ADD, pidfd, token) < 0)
        {
            _children.TryRemove(token, out _);
            _ = Libc.close(pidfd);
            return null;
        }

        return child.Exit.Task;
    }

    private static ChildReaper? TryCreate()
    {
        try
        {
            // Probe pidfd_open with this process: an old kernel answers ENOSYS, an old glibc lacks the symbol.
            var probe = Libc.pidfd_open(Environment.ProcessId, 0);
            if (probe < 0)
            {
                return null;
            }

            _ = Libc.close(probe);
            var epoll = Libc.epoll_create1(Libc.EPOLL_CLOEXEC);
            return epoll < 0 ? null : new ChildReaper(epoll);
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    private int Control(int operation, int pidfd, long token)
    {
        var epollEvent = stackalloc byte[Libc.EpollEventSize];
        new Span<byte>(epollEvent, Libc.EpollEventSize).Clear();
        *(uint*)epollEvent = Libc.EPOLLIN;
        *(long*)(epollEvent + Libc.EpollDataOffset) = token;
        return Libc.epoll_ctl(_epoll, operation, pidfd, epollEvent);
    }

    private void Run()
    {
        var events = (byte*)NativeMemory.Alloc((nuint)(Libc.EpollEventSize * BatchSize));
        while (true)
        {
            var count = Libc.epoll_wait(_epoll, events, BatchSize, -1);
            if (count < 0)
            {
                // EINTR only: the descriptor and the buffer are this thread's own.
                continue;
            }

            for (var i = 0; i < count; i++)
            {
                var token = *(long*)(events + (i * Libc.EpollEventSize) + Libc.EpollDataOffset);
                if (_children.TryGetValue(token, out var child))
                {
                    Reap(token, child);
                }
            }
        }
    }

    private void Reap(long token, Child child)
    {
        ChildExit? exit;
        try
        {
            exit = ChildProcess.TryReap(child.Pid);
            if (exit is null)
            {
                return;
            }
        }
        catch (Win32Exception exception)
        {
            Forget(token, child);
            child.Exit.SetException(exception);
            return;
        }

        Forget(token, child);
        child.Exit.SetResult(exit.Value);
    }

    private void Forget(long token, Child child)
    {
        if (_children.TryRemove(token, out _))
        {
            _ = Control(Libc.EPOLL_CTL_DEL, child.Pidfd, token);
            _ = Libc.close(child.Pidfd);
        }
    }

    private sealed record Child(int Pid, int Pidfd, TaskCompletionSource<ChildExit> Exit);
}

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
internal sealed unsafe class ChildReaper
{
    private const int BatchSize = 64;

    private readonly int _epoll;
    private readonly ConcurrentDictionary<int, Child> _children = new();

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

        var child = new Child(pid, new TaskCompletionSource<ChildExit>(TaskCreationOptions.RunContinuationsAsynchronously));
        _children[pidfd] = child;
        if (Add(pidfd) < 0)
        {
            _children.TryRemove(pidfd, out _);
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

    private int Add(int pidfd)
    {
        var epollEvent = stackalloc byte[Libc.EpollEventSize];
        new Span<byte>(epollEvent, Libc.EpollEventSize).Clear();
        *(uint*)epollEvent = Libc.EPOLLIN;
        *(long*)(epollEvent + Libc.EpollDataOffset) = pidfd;
        return Libc.epoll_ctl(_epoll, Libc.EPOLL_CTL_ADD, pidfd, epollEvent);
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
                var pidfd = (int)*(long*)(events + (i * Libc.EpollEventSize) + Libc.EpollDataOffset);
                if (_children.TryRemove(pidfd, out var child))
                {
                    // Closing the pidfd also takes it out of the epoll set (its only reference).
                    _ = Libc.close(pidfd);
                    Reap(child);
                }
            }
        }
    }

    /// <summary>The child has ended (its pidfd is readable), so waitpid returns at once.</summary>
    private static void Reap(Child child)
    {
        try
        {
            child.Exit.SetResult(ChildProcess.WaitFor(child.Pid));
        }
        catch (Win32Exception exception)
        {
            child.Exit.SetException(exception);
        }
    }

    private sealed record Child(int Pid, TaskCompletionSource<ChildExit> Exit);
}

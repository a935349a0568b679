using System.Collections.Concurrent;
using System.Diagnostics;
using Teleport.Orleans.Agent.Terminal;

namespace Teleport.Orleans.Agent.Tests.Terminal;

/// <summary>How the node learns that a session's process ended: its exit code or signal, for many at once.</summary>
public sealed class ChildReaperTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly string[] Path = ["PATH=/usr/bin:/bin"];

    [Fact]
    public async Task Two_hundred_running_children_do_not_take_a_thread_each_and_all_are_reaped()
    {
        Assert.NotNull(ChildReaper.Shared); // Linux 5.3 and glibc 2.36, as on every machine this runs on
        var threadsBefore = Threads();
        var stdio = Enumerable.Range(0, 200).Select(_ => new Stdio()).ToArray();
        var children = Enumerable.Range(0, 200)
            .Select(i => ChildProcess.Spawn("/bin/sh", ["sh", "-c", $"read line; exit {i % 100}"], Path, "/", null, stdio[i].Descriptors))
            .ToArray();
        try
        {
            // Every child is running (waiting on its stdin) while the threads are counted.
            Assert.All(children, c => Assert.False(c.Exited.IsCompleted));
            Assert.True(Threads() - threadsBefore < 100, $"{Threads() - threadsBefore} more threads with 200 children running");
        }
        finally
        {
            // The children's stdin ends here: `read line` sees EOF.
            foreach (var pipes in stdio)
            {
                pipes.Dispose();
            }
        }

        var exits = await Task.WhenAll(children.Select(c => c.Exited)).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 200).Select(i => (int?)(i % 100)), exits.Select(e => e.Code));
    }

    [Fact]
    public async Task A_child_killed_by_a_signal_reports_the_signal()
    {
        using var stdio = new Stdio();
        var child = ChildProcess.Spawn("/bin/sleep", ["sleep", "60"], Path, "/", null, stdio.Descriptors);
        child.SignalGroup(UnixSignals.SIGKILL);

        var exit = await child.Exited.WaitAsync(Patience);

        Assert.Null(exit.Code);
        Assert.Equal(UnixSignals.SIGKILL, exit.Signal);
    }

    [Fact]
    public async Task A_child_that_ends_at_once_is_still_reaped()
    {
        using var stdio = new Stdio();
        var exit = await ChildProcess.Spawn("/bin/true", ["true"], Path, "/", null, stdio.Descriptors).Exited.WaitAsync(Patience);

        Assert.Equal(0, exit.Code);
    }

    [Fact]
    public async Task Children_started_while_the_process_forks_elsewhere_are_each_reaped_when_they_end()
    {
        // A fork in progress (Process.Start, another posix_spawn) holds a copy of every descriptor until it execs, so a
        // closed pidfd can still raise an event after its number went to a newer child. The reaper must not take that
        // event for the newer child: it blocked in waitpid on a running one and every later exit went unnoticed.
        using var stop = new CancellationTokenSource();
        var forks = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var process = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
                process.WaitForExit();
            }
        })).ToArray();
        var held = new ConcurrentBag<(ChildProcess Child, Stdio Stdio)>();
        var quick = new ConcurrentBag<Task<ChildExit>>();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 2).Select(spawner => Task.Run(() =>
            {
                for (var i = 0; i < 300; i++)
                {
                    var stdio = new Stdio();
                    if (i % 3 == 0)
                    {
                        held.Add((ChildProcess.Spawn("/bin/sh", ["sh", "-c", "read line"], Path, "/", null, stdio.Descriptors), stdio));
                    }
                    else
                    {
                        using (stdio)
                        {
                            quick.Add(ChildProcess.Spawn("/bin/true", ["true"], Path, "/", null, stdio.Descriptors).Exited);
                        }
                    }
                }
            })));

            var exits = await Task.WhenAll(quick).WaitAsync(Patience);

            Assert.All(exits, e => Assert.Equal(0, e.Code));
            Assert.All(held, h => Assert.False(h.Child.Exited.IsCompleted));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(forks);
            foreach (var (_, stdio) in held)
            {
                stdio.Dispose();
            }
        }

        await Task.WhenAll(held.Select(h => h.Child.Exited)).WaitAsync(Patience);
    }

    private static int Threads() =>
        int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Threads:", StringComparison.Ordinal))[8..].Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A child's stdin (a pipe the test holds both ends of until disposed) and its stdout and stderr (another).</summary>
    private sealed class Stdio : IDisposable
    {
        private readonly UnixPipe _input = UnixPipe.Create();
        private readonly UnixPipe _output = UnixPipe.Create();

        public (int Input, int Output, int Error) Descriptors => (_input.ReadFd, _output.WriteFd, _output.WriteFd);

        public void Dispose()
        {
            _input.Dispose();
            _output.Dispose();
        }
    }
}

using System.Text;
using Teleport.Orleans.Agent.Terminal;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Tests.Terminal;

/// <summary>The node's side of a session's terminal: many quiet terminals at once, input and output, the hangup.</summary>
public sealed class TerminalStreamTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_last_of_many_quiet_terminals_answers_at_once()
    {
        // A read waiting on a quiet terminal used to hold a thread-pool thread; with a read pending on each of these,
        // the last terminal's answer would queue behind them while the pool grew a thread or two a second.
        const int Count = 150;
        var terminals = new List<(PseudoTerminal Terminal, ChildProcess Cat, Stream Stream)>();
        try
        {
            for (var i = 0; i < Count; i++)
            {
                var terminal = PseudoTerminal.Open(new SshWindowSize(80, 24, 0, 0), new Dictionary<SshTerminalMode, uint>());
                var cat = ChildProcess.Spawn("/bin/cat", ["cat"], ["PATH=/usr/bin:/bin"], "/", terminal.SlavePath);
                terminals.Add((terminal, cat, terminal.OpenStream()));
            }

            var buffers = terminals.Select(_ => new byte[256]).ToArray();
            var reads = terminals.Select((t, i) => t.Stream.ReadAsync(buffers[i]).AsTask()).ToArray();
            var last = terminals[^1];

            await last.Stream.WriteAsync("ping\n"u8.ToArray()).AsTask().WaitAsync(Patience);
            var read = await reads[^1].WaitAsync(Patience);

            Assert.StartsWith("ping", Encoding.ASCII.GetString(buffers[^1], 0, read), StringComparison.Ordinal);
            Assert.All(reads[..^1], r => Assert.False(r.IsCompleted));
        }
        finally
        {
            foreach (var (terminal, cat, stream) in terminals)
            {
                cat.SignalGroup(UnixSignals.SIGKILL);
                await cat.Exited.WaitAsync(Patience);
                await stream.DisposeAsync();
                terminal.Dispose();
            }
        }
    }

    [Fact]
    public async Task Reading_a_terminal_ends_when_its_last_process_is_gone()
    {
        using var terminal = PseudoTerminal.Open(new SshWindowSize(80, 24, 0, 0), new Dictionary<SshTerminalMode, uint>());
        await using var stream = terminal.OpenStream();
        var child = ChildProcess.Spawn("/bin/sh", ["sh", "-c", "echo bye"], ["PATH=/usr/bin:/bin"], "/", terminal.SlavePath);
        await child.Exited.WaitAsync(Patience);

        var output = new MemoryStream();
        var buffer = new byte[256];
        int read;
        while ((read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Patience)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        Assert.Equal("bye\r\n", Encoding.ASCII.GetString(output.ToArray()));
    }

    [Fact]
    public async Task A_pending_read_is_cancelled_by_its_token()
    {
        using var terminal = PseudoTerminal.Open(new SshWindowSize(80, 24, 0, 0), new Dictionary<SshTerminalMode, uint>());
        var cat = ChildProcess.Spawn("/bin/cat", ["cat"], ["PATH=/usr/bin:/bin"], "/", terminal.SlavePath);
        try
        {
            await using var stream = terminal.OpenStream();
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.ReadAsync(new byte[16], cancel.Token).AsTask().WaitAsync(Patience));
        }
        finally
        {
            cat.SignalGroup(UnixSignals.SIGKILL);
            await cat.Exited.WaitAsync(Patience);
        }
    }
}

using System.Text;
using Teleport.Orleans.Cli.Tsh.Sessions;

namespace Teleport.Orleans.Tsh.Tests.Sessions;

public sealed class PrefixedLinesTests
{
    [Fact]
    public async Task Every_line_is_prefixed_with_the_node_even_when_split_across_reads_and_a_last_partial_line_is_ended()
    {
        var shared = new MemoryStream();
        var lines = new PrefixedLines(shared, "web", new Lock());

        await lines.CopyAsync(new TrickleStream("up 3 days\nload 0.1", "0\npartial"), CancellationToken.None);

        Assert.Equal("[web] up 3 days\n[web] load 0.10\n[web] partial\n", Encoding.UTF8.GetString(shared.ToArray()));
    }

    /// <summary>Returns one chunk per read, as a channel delivers data.</summary>
    private sealed class TrickleStream(params string[] chunks) : MemoryStream
    {
        private readonly Queue<byte[]> _chunks = new(chunks.Select(Encoding.UTF8.GetBytes));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_chunks.TryDequeue(out var chunk))
            {
                return ValueTask.FromResult(0);
            }

            chunk.CopyTo(buffer);
            return ValueTask.FromResult(chunk.Length);
        }
    }
}

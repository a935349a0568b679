namespace Teleport.Orleans.Cli.Tsh.Sessions;

/// <summary>
/// One node's output stream written to a shared one a whole line at a time, each line prefixed with
/// <c>[hostname] </c> as Teleport's multi-node tsh ssh does, so lines from nodes running in parallel never mix.
/// </summary>
internal sealed class PrefixedLines(Stream shared, string hostname, Lock writing)
{
    private readonly byte[] _prefix = System.Text.Encoding.UTF8.GetBytes($"[{hostname}] ");
    private readonly List<byte> _pending = [];

    /// <summary>Copies <paramref name="from"/> to the shared stream until it ends; a last unterminated line gets a newline.</summary>
    public async Task CopyAsync(Stream from, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            Append(buffer.AsSpan(0, read));
        }

        if (_pending.Count > 0)
        {
            _pending.Add((byte)'\n');
            WriteLine([.. _pending]);
            _pending.Clear();
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        while (data.IndexOf((byte)'\n') is var newline and >= 0)
        {
            _pending.AddRange(data[..(newline + 1)]);
            WriteLine([.. _pending]);
            _pending.Clear();
            data = data[(newline + 1)..];
        }

        _pending.AddRange(data);
    }

    private void WriteLine(byte[] line)
    {
        lock (writing)
        {
            shared.Write(_prefix);
            shared.Write(line);
            shared.Flush();
        }
    }
}

using Teleport.Orleans.Ssh.Client;

namespace Teleport.Orleans.Cli.Tsh.Proxy;

/// <summary>
/// A session channel running a subsystem (the proxy's <c>proxy:host:port@cluster</c>) as one duplex stream:
/// reads are the subsystem's output, writes its input. Disposing closes the channel.
/// </summary>
internal sealed class SessionStream : Stream
{
    private readonly SshSession _session;
    private readonly MemoryStream _errorText = new();
    private readonly Task _errors;

    public SessionStream(SshSession session)
    {
        _session = session;
        // Read from the start: unread stderr would hold the channel window, and it carries the proxy's refusal.
        _errors = CollectErrorsAsync();
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _session.StandardOutput.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => _session.StandardOutput.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _session.StandardInput.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => _session.StandardInput.Write(buffer, offset, count);

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>What the proxy wrote on the subsystem's stderr (why it could not reach the node), waiting at most <paramref name="wait"/>.</summary>
    public async Task<string> ReadErrorAsync(TimeSpan wait)
    {
        await Task.WhenAny(_errors, Task.Delay(wait));
        lock (_errorText)
        {
            return System.Text.Encoding.UTF8.GetString(_errorText.ToArray()).Trim();
        }
    }

    /// <summary>Sends EOF: the far side reads the end of its input.</summary>
    public Task ShutdownWriteAsync() => _session.CloseInputAsync();

    public override async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _session.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private async Task CollectErrorsAsync()
    {
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await _session.StandardError.ReadAsync(buffer)) > 0)
            {
                lock (_errorText)
                {
                    // Only the start matters for a message; the rest is read and dropped to keep the window open.
                    if (_errorText.Length < 64 * 1024)
                    {
                        _errorText.Write(buffer, 0, read);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The channel ended; what was read is kept.
        }
    }
}

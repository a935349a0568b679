using System.Text;

namespace Teleport.Orleans.Cli.Tsh.Sessions;

/// <summary>
/// A write-only stream that passes everything on and keeps the last few hundred bytes written, so that tsh can tell
/// whether the node already showed the user a reason (on the session's stderr) before it closed the connection.
/// </summary>
internal sealed class TailTrackingStream(Stream inner) : Stream
{
    private const int Keep = 512;
    private readonly Lock _gate = new();
    private byte[] _tail = [];

    /// <summary>The end of what was written, as text.</summary>
    public string Tail
    {
        get
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(_tail);
            }
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        Remember(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken);
        Remember(buffer.Span);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Remember(ReadOnlySpan<byte> written)
    {
        lock (_gate)
        {
            byte[] joined = [.. _tail, .. written];
            _tail = joined.Length <= Keep ? joined : joined[^Keep..];
        }
    }
}

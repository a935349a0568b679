using Teleport.Orleans.Agent.Access;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Sessions;

/// <summary>
/// A port forward's connection to its destination under the access monitor: what the client sends keeps the
/// connection from idling, and the forward is closed when access ends. Half-close passes through (ssh -W, -L).
/// </summary>
internal sealed class ForwardedStream : Stream, IHalfClosableStream
{
    private readonly Stream _inner;
    private readonly MonitoredConnection _connection;
    private IDisposable? _registration;

    private ForwardedStream(Stream inner, MonitoredConnection connection)
    {
        _inner = inner;
        _connection = connection;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>The monitored stream, or why the forward may not start (the stream is then disposed).</summary>
    public static (ForwardedStream? Stream, string? Refusal) Start(Stream inner, MonitoredConnection connection)
    {
        var stream = new ForwardedStream(inner, connection);
        var (registration, refusal) = connection.Start(_ =>
        {
            inner.Dispose();
            return Task.CompletedTask;
        });
        if (refusal is not null)
        {
            inner.Dispose();
            return (null, refusal);
        }

        stream._registration = registration;
        return (stream, null);
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count)
    {
        _connection.Touch();
        _inner.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _connection.Touch();
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _connection.Touch();
        return _inner.WriteAsync(buffer, offset, count, cancellationToken);
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public Task ShutdownWriteAsync() => StreamHalfClose.ShutdownWriteAsync(_inner);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _registration?.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _registration?.Dispose();
        await _inner.DisposeAsync();
        await base.DisposeAsync();
    }
}

using System.IO.Pipelines;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// A reader and a writer pipe as one Stream: a Kestrel connection's decrypted transport handed to a non-HTTP
/// protocol, or one end of an in-memory connection (<see cref="CreatePair"/>) that an SSH server serves as if it
/// were an accepted socket. Each write is flushed, so packets leave at once; disposing completes both pipes, which
/// is end of stream for the peer and unblocks its writes; <see cref="ShutdownWriteAsync"/> ends only the sending side.
/// </summary>
public sealed class DuplexPipeStream : Stream, IHalfClosableStream
{
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly Stream _input;
    private readonly Stream _output;

    public DuplexPipeStream(IDuplexPipe pipe)
        : this(pipe.Input, pipe.Output)
    {
    }

    public DuplexPipeStream(PipeReader reader, PipeWriter writer)
    {
        _reader = reader;
        _writer = writer;
        _input = reader.AsStream();
        _output = writer.AsStream();
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Two connected streams: what one writes the other reads.</summary>
    public static (DuplexPipeStream First, DuplexPipeStream Second) CreatePair()
    {
        var forward = new Pipe();
        var backward = new Pipe();
        return (new DuplexPipeStream(backward.Reader, forward.Writer), new DuplexPipeStream(forward.Reader, backward.Writer));
    }

    public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _input.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _input.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

    // PipeWriter.WriteAsync writes and flushes in one step.
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _output.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _output.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => _output.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public async Task ShutdownWriteAsync() => await _writer.CompleteAsync().ConfigureAwait(false);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _output.Dispose();
            _input.Dispose();
        }

        base.Dispose(disposing);
    }
}

namespace Teleport.Orleans.Agent.Tunnel;

/// <summary>
/// A tunnel stream that first returns bytes already read from it: what came after the proxy's certificate line in the
/// same read (the start of SSH), which the SSH server must still see.
/// </summary>
internal sealed class ReplayStream(ReadOnlyMemory<byte> replay, Stream inner) : PassThroughStream(inner)
{
    private ReadOnlyMemory<byte> _replay = replay;

    public override int Read(byte[] buffer, int offset, int count) =>
        _replay.IsEmpty ? Inner.Read(buffer, offset, count) : Replay(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _replay.IsEmpty ? Inner.ReadAsync(buffer, cancellationToken) : ValueTask.FromResult(Replay(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Replay(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _replay.Length);
        _replay.Span[..count].CopyTo(destination);
        _replay = _replay[count..];
        return count;
    }
}

using Teleport.Orleans.Ssh.Fuzz.Support;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Fuzz.Targets;

/// <summary>
/// The binary packet decoder (<see cref="PacketReader"/> with the plain cipher, as before the first NEWKEYS) over
/// <see cref="StreamInput"/>. Byte 0 picks how many bytes each socket read returns, so that the buffering of
/// <see cref="StreamInput"/> is exercised too; the rest is the byte stream after the version line.
/// </summary>
internal sealed class PacketTarget : IFuzzTarget
{
    private const int MaxPackets = 64;
    private static readonly int[] ChunkSizes = [int.MaxValue, 1, 2, 3, 5, 8, 13, 64, 1000, 16 * 1024, 20000];

    public string Name => "packet";

    public void Run(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        var stream = data[1..].ToArray();
        var reader = new PacketReader(new StreamInput(new ChunkedReadStream(stream, ChunkSizes[data[0] % ChunkSizes.Length])));
        try
        {
            for (var i = 1; i <= MaxPackets; i++)
            {
                var payload = reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
                FuzzInvariantException.Check(payload.Length is >= 1 and <= PacketReader.MaxPacketLength, $"payload of {payload.Length} bytes");
                FuzzInvariantException.Check(reader.PacketsRead == i && reader.Sequence == (uint)i, "packet counters out of step");
                FuzzInvariantException.Check(reader.BytesRead <= stream.Length, "read more bytes than the stream holds");
            }
        }
        catch (SshProtocolException)
        {
        }
        catch (EndOfStreamException)
        {
        }
    }
}

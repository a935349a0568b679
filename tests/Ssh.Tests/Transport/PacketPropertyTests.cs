using System.Security.Cryptography;
using CsCheck;
using Teleport.Orleans.Ssh.Tests.Support;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Tests.Transport;

/// <summary>The binary packet layer per cipher: round trips over arbitrary TCP splits, and tampering detected.</summary>
public sealed class PacketPropertyTests
{
    private static readonly Gen<uint> Sequence = Gen.OneOf(Gen.UInt, Gen.UInt[uint.MaxValue - 4, uint.MaxValue]);

    public static TheoryData<string, string> Modes => new()
    {
        { "none", "" },
        { "aes256-gcm@openssh.com", "" },
        { "aes128-gcm@openssh.com", "" },
        { "chacha20-poly1305@openssh.com", "" },
        { "aes128-ctr", "hmac-sha2-256-etm@openssh.com" },
        { "aes256-ctr", "hmac-sha2-512-etm@openssh.com" },
        { "aes128-ctr", "hmac-sha2-256" },
        { "aes256-ctr", "hmac-sha2-512" },
    };

    public static TheoryData<string, string> EncryptedModes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var row in Modes.Where(r => (string)r[0] != "none"))
            {
                data.Add((string)row[0], (string)row[1]);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Packets_round_trip_through_random_splits_of_the_byte_stream(string cipher, string mac)
    {
        Gen.Select(Gen.Byte.Array[1, 3000].Array[1, 10], Gen.Int[1, 700].Array[0, 12], Sequence).Sample((payloads, chunks, sequence) =>
        {
            var (writer, reader) = Pair(cipher, mac, sequence, chunks, out var stream);
            stream.AddRange(payloads.SelectMany(p => writer.Frame(p).ToArray()));

            foreach (var payload in payloads)
            {
                Assert.Equal(payload, Read(reader));
            }

            Assert.Equal(unchecked(sequence + (uint)payloads.Length), reader.Sequence);
            Assert.Throws<EndOfStreamException>(() => Read(reader));
        });
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Padding_follows_the_block_size_rules(string cipher, string mac)
    {
        Gen.Byte.Array[1, 2000].Sample(payload =>
        {
            var (writer, _) = Pair(cipher, mac, 0, [], out _);
            var frame = writer.Frame(payload);
            var encrypted = frame.Length - writer.Cipher.TagSize - (writer.Cipher.LengthOutsidePadding ? 4 : 0);

            Assert.Equal(0, encrypted % writer.Cipher.BlockSize);
            Assert.InRange(frame.Length - writer.Cipher.TagSize - 5 - payload.Length, 4, 4 + writer.Cipher.BlockSize - 1);
        });
    }

    [Theory]
    [MemberData(nameof(EncryptedModes))]
    public void Any_corrupted_byte_is_detected_and_never_yields_a_payload(string cipher, string mac)
    {
        Gen.Select(Gen.Byte.Array[1, 500].Array[1, 4], Gen.Int[0, int.MaxValue], Gen.Byte[1, 255], Sequence).Sample((payloads, where, flip, sequence) =>
        {
            var (writer, reader) = Pair(cipher, mac, sequence, [], out var stream);
            var frames = payloads.Select(p => writer.Frame(p).ToArray()).ToList();
            var all = frames.SelectMany(f => f).ToArray();
            var index = where % all.Length;
            all[index] ^= flip;
            stream.AddRange(all);

            var damaged = 0;
            for (var offset = frames[0].Length; offset <= index; offset += frames[++damaged].Length)
            {
            }

            for (var i = 0; i < damaged; i++)
            {
                Assert.Equal(payloads[i], Read(reader));
            }

            var ex = Record.Exception(() => Read(reader));
            Assert.True(ex is SshProtocolException or EndOfStreamException, $"Corruption at byte {index} gave {ex?.GetType().Name ?? "a payload"}.");
        });
    }

    [Fact]
    public void A_payload_given_back_is_reused_for_the_next_of_its_size_and_one_still_held_is_never_overwritten()
    {
        var payloads = new[] { 32_777, 32_777, 32_777, 5_000 }.Select(RandomNumberGenerator.GetBytes).ToArray();
        var (writer, reader) = Pair("aes256-gcm@openssh.com", "", 0, [], out var stream);
        stream.AddRange(payloads.SelectMany(p => writer.Frame(p).ToArray()));

        var first = Read(reader);
        reader.Recycle(first);
        var second = Read(reader);
        var third = Read(reader);

        Assert.Same(first, second);
        Assert.NotSame(second, third);
        Assert.Equal(payloads[1], second);
        Assert.Equal(payloads[2], third);

        reader.Recycle(third);
        Assert.Equal(payloads[3], Read(reader));
        Assert.Equal(payloads[2], third);
    }

    [Fact]
    public void Oversize_packet_length_is_refused_before_the_body_is_read()
    {
        var ex = Assert.Throws<SshProtocolException>(() => ReadPlain([0x00, 0x04, 0x00, 0x01, 0x04]));

        Assert.Equal(SshDisconnectReason.ProtocolError, ex.Reason);
        Assert.Contains("Bad packet length 262145", ex.Message);
    }

    [Theory]
    [InlineData(3, "Bad padding length 3")]
    [InlineData(11, "Bad padding length 11")]
    [InlineData(200, "Bad padding length 200")]
    public void Bad_padding_length_is_refused(byte padding, string message)
    {
        // packet_length 12: padding_length byte + 11 bytes shared between payload and padding.
        byte[] packet = [0, 0, 0, 12, padding, 5, .. new byte[10]];

        var ex = Assert.Throws<SshProtocolException>(() => ReadPlain(packet));

        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Packet_not_aligned_to_the_block_size_is_refused()
    {
        byte[] packet = [0, 0, 0, 13, 4, 5, .. new byte[11]];

        var ex = Assert.Throws<SshProtocolException>(() => ReadPlain(packet));

        Assert.Contains("not a multiple of the cipher block size", ex.Message);
    }

    private static byte[] Read(PacketReader reader) => reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private static byte[] ReadPlain(byte[] bytes) => Read(new PacketReader(new StreamInput(new MemoryStream(bytes))));

    /// <summary>A writer and a reader sharing keys; the reader reads whatever is later added to <paramref name="stream"/>.</summary>
    private static (PacketWriter Writer, PacketReader Reader) Pair(string cipher, string mac, uint sequence, int[] chunks, out List<byte> stream)
    {
        var bytes = new List<byte>();
        stream = bytes;
        var reader = new PacketReader(new StreamInput(new LazyStream(() => new ChunkedStream([.. bytes], chunks)))) { Sequence = sequence };
        var writer = new PacketWriter { Sequence = sequence };
        if (cipher != "none")
        {
            var algorithm = CipherAlgorithm.Find(cipher)!;
            var macAlgorithm = mac.Length == 0 ? null : MacAlgorithm.Find(mac);
            var key = RandomNumberGenerator.GetBytes(algorithm.KeySize);
            var iv = RandomNumberGenerator.GetBytes(algorithm.IvSize);
            var macKey = RandomNumberGenerator.GetBytes(macAlgorithm?.KeySize ?? 0);
            writer.Cipher = algorithm.Create(key, iv, macAlgorithm, macKey);
            reader.Cipher = algorithm.Create(key, iv, macAlgorithm, macKey);
        }

        return (writer, reader);
    }

    /// <summary>Creates the inner stream on first read, so the test can fill the bytes after building the reader.</summary>
    private sealed class LazyStream(Func<Stream> create) : Stream
    {
        private Stream? _inner;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => Inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private Stream Inner => _inner ??= create();
    }
}

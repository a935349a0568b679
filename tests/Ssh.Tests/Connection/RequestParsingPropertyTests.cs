using CsCheck;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Tests.Connection;

/// <summary>The parsers of client-supplied request data: pty-req with its terminal modes, direct-tcpip.</summary>
public sealed class RequestParsingPropertyTests
{
    private static readonly Gen<(byte Opcode, uint Value)[]> ModeList =
        Gen.Select(Gen.Byte[1, 159], Gen.UInt).Array[0, 40];

    [Fact]
    public void Terminal_modes_parse_to_the_last_value_of_each_opcode_up_to_the_end_marker()
    {
        Gen.Select(ModeList, Gen.OneOf(Gen.Const((byte)0), Gen.Byte[160, 255]), Gen.Byte.Array[0, 20]).Sample(t =>
        {
            var (modes, end, trailing) = t;
            var writer = new SshWriter(512);
            foreach (var (opcode, value) in modes)
            {
                writer.WriteByte(opcode).WriteUInt32(value);
            }

            writer.WriteByte(end).WriteRaw(trailing);
            var expected = new Dictionary<SshTerminalMode, uint>();
            foreach (var (opcode, value) in modes)
            {
                expected[(SshTerminalMode)opcode] = value;
            }

            Assert.Equal(expected, SshPtyRequest.ParseModes(writer.WrittenSpan));
        });
    }

    [Fact]
    public void Arbitrary_pty_request_data_either_parses_or_is_a_format_error()
    {
        Gen.Byte.Array[0, 80].Sample(data =>
        {
            try
            {
                SshPtyRequest.Read(data);
            }
            catch (FormatException)
            {
                // Malformed: the channel turns this into a protocol error.
            }
        });
    }

    [Fact]
    public void Pty_request_round_trips_terminal_size_and_modes()
    {
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 0, 40], Gen.UInt.Array[4], ModeList).Sample(t =>
        {
            var (term, size, modes) = t;
            var encodedModes = new SshWriter(512);
            foreach (var (opcode, value) in modes)
            {
                encodedModes.WriteByte(opcode).WriteUInt32(value);
            }

            encodedModes.WriteByte(0);
            var data = new SshWriter(1024).WriteString(term)
                .WriteUInt32(size[0]).WriteUInt32(size[1]).WriteUInt32(size[2]).WriteUInt32(size[3])
                .WriteString(encodedModes).ToArray();

            var request = SshPtyRequest.Read(data);

            Assert.Equal(term, request.Terminal);
            Assert.Equal(new SshWindowSize(size[0], size[1], size[2], size[3]), request.Size);
            Assert.Equal(modes.Select(m => m.Opcode).Distinct().Count(), request.Modes.Count);
        });
    }

    [Fact]
    public void Direct_tcpip_data_with_trailing_bytes_is_a_format_error()
    {
        var data = new SshWriter(64).WriteString("127.0.0.1").WriteUInt32(22).WriteString("10.0.0.1").WriteUInt32(5000).WriteByte(0).ToArray();

        Assert.Throws<FormatException>(() => SshDirectTcpIpRequest.Read(data));
        var request = SshDirectTcpIpRequest.Read(data.AsSpan(0, data.Length - 1));
        Assert.Equal("127.0.0.1:22 from 10.0.0.1:5000", request.ToString());
    }
}

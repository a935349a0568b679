using System.Numerics;
using CsCheck;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Tests.Wire;

public sealed class SshWireTests
{
    private static readonly Gen<string> Text = Gen.String[0, 40];

    private static readonly Gen<string> Name = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-@."].Array[1, 12].Select(c => new string(c));

    [Fact]
    public void Integers_round_trip_big_endian()
    {
        Gen.Select(Gen.UInt, Gen.ULong, Gen.Byte, Gen.Bool).Sample((u32, u64, b, flag) =>
        {
            var bytes = new SshWriter().WriteUInt32(u32).WriteUInt64(u64).WriteByte(b).WriteBoolean(flag).ToArray();
            Assert.Equal(14, bytes.Length);
            Assert.Equal((byte)(u32 >> 24), bytes[0]);
            var reader = new SshReader(bytes);
            Assert.Equal(u32, reader.ReadUInt32());
            Assert.Equal(u64, reader.ReadUInt64());
            Assert.Equal(b, reader.ReadByte());
            Assert.Equal(flag, reader.ReadBoolean());
            reader.EnsureEnd("test");
        });
    }

    [Fact]
    public void Strings_round_trip_as_bytes_and_as_utf8()
    {
        Gen.Select(Gen.Byte.Array[0, 300], Text).Sample((raw, text) =>
        {
            var bytes = new SshWriter().WriteString(raw).WriteString(text).ToArray();
            var reader = new SshReader(bytes);
            Assert.Equal(raw, reader.ReadString().ToArray());
            Assert.Equal(text, reader.ReadUtf8String());
            Assert.True(reader.IsEmpty);
        });
    }

    [Fact]
    public void Mpint_round_trips_any_integer()
    {
        Gen.Byte.Array[0, 70].Select(b => new BigInteger(b)).Sample(value =>
        {
            var bytes = new SshWriter().WriteMpint(value).ToArray();
            var reader = new SshReader(bytes);
            Assert.Equal(value, reader.ReadMpint());
            reader.EnsureEnd("test");
        });
    }

    [Theory]
    [InlineData("0", "00000000")]
    [InlineData("09a378f9b2e332a7", "0000000809a378f9b2e332a7")]
    [InlineData("080", "000000020080")]
    [InlineData("-01234", "00000002edcc")]
    [InlineData("-0deadbeef", "00000005ff21524111")]
    public void Mpint_encoding_matches_the_RFC_4251_examples(string hex, string expected)
    {
        var negative = hex.StartsWith('-');
        var value = BigInteger.Parse(hex.TrimStart('-'), System.Globalization.NumberStyles.HexNumber);
        var bytes = new SshWriter().WriteMpint(negative ? -value : value).ToArray();
        Assert.Equal(expected, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Unsigned_mpint_round_trips_magnitudes_with_minimal_encoding()
    {
        Gen.Byte.Array[0, 70].Sample(magnitude =>
        {
            var bytes = new SshWriter().WriteMpintUnsigned(magnitude).ToArray();
            var minimal = magnitude.SkipWhile(b => b == 0).ToArray();
            Assert.Equal(new BigInteger(minimal, isUnsigned: true, isBigEndian: true), new SshReader(bytes).ReadMpint());
            Assert.Equal(minimal, new SshReader(bytes).ReadMpintUnsigned().ToArray());
        });
    }

    [Fact]
    public void Negative_mpint_is_refused_where_a_magnitude_is_required()
    {
        var bytes = new SshWriter().WriteMpint(-5).ToArray();
        Assert.Throws<FormatException>(() => new SshReader(bytes).ReadMpintUnsigned().ToArray());
    }

    [Fact]
    public void Name_lists_round_trip()
    {
        Name.Array[0, 8].Sample(names =>
        {
            var bytes = new SshWriter().WriteNameList(names).ToArray();
            Assert.Equal(names, new SshReader(bytes).ReadNameList());
        });
    }

    [Fact]
    public void Name_list_refuses_empty_names_both_ways()
    {
        Assert.Throws<ArgumentException>(() => new SshWriter().WriteNameList(["a", ""]));
        var bytes = new SshWriter().WriteString("a,,b").ToArray();
        Assert.Throws<FormatException>(() => new SshReader(bytes).ReadNameList());
    }

    [Fact]
    public void Truncated_data_throws_FormatException_and_nothing_else()
    {
        Gen.Select(Gen.Byte.Array[0, 50], Text, Gen.Int[0, 200]).Sample((raw, text, cut) =>
        {
            var bytes = new SshWriter().WriteUInt32(7).WriteString(raw).WriteString(text).WriteUInt64(9).ToArray();
            var truncated = bytes[..Math.Min(cut, bytes.Length - 1)];
            Assert.Throws<FormatException>(() =>
            {
                var reader = new SshReader(truncated);
                reader.ReadUInt32();
                reader.ReadString();
                reader.ReadUtf8String();
                reader.ReadUInt64();
            });
        });
    }

    [Fact]
    public void String_length_beyond_the_data_is_refused()
    {
        byte[] bytes = [0xFF, 0xFF, 0xFF, 0xFF, 1, 2];
        var error = Assert.Throws<FormatException>(() => new SshReader(bytes).ReadString().ToArray());
        Assert.Contains("exceeds", error.Message);
    }

    [Fact]
    public void Invalid_utf8_is_a_FormatException()
    {
        var bytes = new SshWriter().WriteString([0xC3, 0x28]).ToArray();
        Assert.Throws<FormatException>(() => new SshReader(bytes).ReadUtf8String());
    }

    [Fact]
    public void Trailing_bytes_are_reported_by_EnsureEnd()
    {
        var bytes = new SshWriter().WriteUInt32(1).WriteByte(0).ToArray();
        var error = Assert.Throws<FormatException>(() =>
        {
            var reader = new SshReader(bytes);
            reader.ReadUInt32();
            reader.EnsureEnd("Thing");
        });
        Assert.Contains("trailing", error.Message);
    }
}

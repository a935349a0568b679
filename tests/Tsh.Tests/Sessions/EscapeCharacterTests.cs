using Teleport.Orleans.Cli.Tsh;
using Teleport.Orleans.Cli.Tsh.Sessions;

namespace Teleport.Orleans.Tsh.Tests.Sessions;

public sealed class EscapeCharacterTests
{
    [Theory]
    [InlineData(null, (byte)'~')]
    [InlineData("%", (byte)'%')]
    [InlineData("^]", (byte)0x1d)]
    [InlineData("^A", (byte)0x01)]
    public void The_escape_character_is_read_as_ssh_reads_it(string? text, byte expected)
    {
        Assert.Equal(expected, EscapeCharacter.Parse(text));
    }

    [Fact]
    public void None_turns_escapes_off()
    {
        Assert.Null(EscapeCharacter.Parse("none"));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("")]
    [InlineData("é")]
    public void Anything_else_is_refused_with_what_to_give(string text)
    {
        var error = Assert.Throws<TshException>(() => EscapeCharacter.Parse(text));

        Assert.Contains("'none'", error.Message);
    }
}

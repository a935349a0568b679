using Teleport.Orleans.Cli.Tsh.Terminal;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Unix;

namespace Teleport.Orleans.Tsh.Tests.Terminal;

public sealed class TerminalModesTests
{
    [Fact]
    public unsafe void A_cooked_terminal_is_described_flag_by_flag_with_its_control_characters_and_speed()
    {
        var termios = new Libc.Termios
        {
            InputFlags = 0x100 | 0x400 | 0x4000, // ICRNL IXON IUTF8
            OutputFlags = 0x1 | 0x4,             // OPOST ONLCR
            ControlFlags = 0x30 | 0xf,           // CS8, B38400
            LocalFlags = 0x1 | 0x2 | 0x8 | 0x8000, // ISIG ICANON ECHO IEXTEN
            InputSpeed = 0xf,
            OutputSpeed = 0xf,
        };
        termios.ControlCharacters[0] = 3;   // VINTR ^C
        termios.ControlCharacters[2] = 127; // VERASE
        termios.ControlCharacters[11] = 0;  // VEOL disabled

        var modes = TerminalModes.Encode(termios);

        Assert.Equal(3u, modes[SshTerminalMode.VINTR]);
        Assert.Equal(127u, modes[SshTerminalMode.VERASE]);
        Assert.Equal(255u, modes[SshTerminalMode.VEOL]);
        Assert.Equal(1u, modes[SshTerminalMode.ICRNL]);
        Assert.Equal(1u, modes[SshTerminalMode.IUTF8]);
        Assert.Equal(0u, modes[SshTerminalMode.IXOFF]);
        Assert.Equal(1u, modes[SshTerminalMode.ECHO]);
        Assert.Equal(1u, modes[SshTerminalMode.ISIG]);
        Assert.Equal(0u, modes[SshTerminalMode.ECHONL]);
        Assert.Equal(1u, modes[SshTerminalMode.ONLCR]);
        Assert.Equal(1u, modes[SshTerminalMode.CS8]);
        Assert.Equal(38400u, modes[SshTerminalMode.InputSpeed]);
        Assert.Equal(38400u, modes[SshTerminalMode.OutputSpeed]);
    }

    [Theory]
    [InlineData(0xdu, 9600u)]
    [InlineData(0x1002u, 115200u)]
    [InlineData(0x2000u, 0u)]
    public void Speed_codes_become_baud_rates(uint code, uint rate)
    {
        Assert.Equal(rate, TerminalModes.BaudRate(code));
    }
}

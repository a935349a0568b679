namespace Teleport.Orleans.Cli.Tsh.Sessions;

/// <summary>One step of filtered input, in typing order: bytes for the remote side, or an escape command.</summary>
internal readonly record struct EscapeStep(EscapeCommand Command, byte[] Data)
{
    public static EscapeStep Send(byte[] data) => new(EscapeCommand.None, data);

    public static EscapeStep Run(EscapeCommand command) => new(command, []);
}

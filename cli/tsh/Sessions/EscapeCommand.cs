namespace Teleport.Orleans.Cli.Tsh.Sessions;

/// <summary>What an escape sequence typed after a newline asks of tsh (OpenSSH's ~ commands).</summary>
internal enum EscapeCommand
{
    /// <summary>No command: the step carries bytes for the remote side.</summary>
    None,

    /// <summary>~. : close the connection.</summary>
    Disconnect,

    /// <summary>~? : list the escape sequences.</summary>
    Help,

    /// <summary>~^Z : stop tsh, back to the local shell.</summary>
    Suspend,
}

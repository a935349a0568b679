using System.Text;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>The outcome of <see cref="SshClient.RunCommandAsync"/>: how the command ended and everything it wrote.</summary>
public sealed class SshCommandResult
{
    internal SshCommandResult(SshExitStatus exitStatus, byte[] output, byte[] error)
    {
        ExitStatus = exitStatus;
        Output = output;
        Error = error;
    }

    public SshExitStatus ExitStatus { get; }

    /// <summary>Shorthand for <see cref="SshExitStatus.ExitCode"/>.</summary>
    public int? ExitCode => ExitStatus.ExitCode;

    public byte[] Output { get; }

    public byte[] Error { get; }

    public string OutputText => Encoding.UTF8.GetString(Output);

    public string ErrorText => Encoding.UTF8.GetString(Error);

    public override string ToString() => $"{ExitStatus}, stdout '{OutputText}', stderr '{ErrorText}'";
}

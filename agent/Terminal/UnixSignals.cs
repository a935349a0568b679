using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Terminal;

/// <summary>The signals SSH names (RFC 4254 §6.10, without "SIG") and their Linux numbers.</summary>
internal static class UnixSignals
{
    public const int SIGHUP = 1;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    /// <summary>The number of an SSH signal name ("TERM" or "SIGTERM"), or null for names SSH does not define.</summary>
    public static int? FromName(string name) => SshSignalNames.FromName(name);

    /// <summary>The SSH name of signal <paramref name="number"/>, or "SIGn" for one SSH has no name for.</summary>
    public static string ToName(int number) => SshSignalNames.ToName(number);
}

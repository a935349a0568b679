namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// Thrown by an <see cref="SshProgram"/> whose process was ended by a signal: the channel then sends "exit-signal"
/// (RFC 4254 §6.10) instead of "exit-status". <see cref="Signal"/> is the name without "SIG" (TERM, KILL, SEGV...).
/// </summary>
public sealed class SshExitSignalException : Exception
{
    public SshExitSignalException(string signal)
        : this(signal, coreDumped: false, errorMessage: "")
    {
    }

    public SshExitSignalException(string signal, bool coreDumped, string errorMessage)
        : base($"The program was ended by signal {signal}.")
    {
        Signal = Normalize(signal);
        CoreDumped = coreDumped;
        ErrorMessage = errorMessage ?? "";
    }

    public string Signal { get; }

    public bool CoreDumped { get; }

    /// <summary>Text the client may show (OpenSSH prints nothing; other clients may).</summary>
    public string ErrorMessage { get; }

    private static string Normalize(string signal)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(signal);
        return signal.StartsWith("SIG", StringComparison.Ordinal) ? signal[3..] : signal;
    }
}

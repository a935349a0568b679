namespace Teleport.Orleans.Cli.Tsh;

/// <summary>A failure with a message meant for the user as it is (printed as "ERROR: ...", exit code 1).</summary>
internal sealed class TshException(string message, Exception? innerException = null) : Exception(message, innerException);

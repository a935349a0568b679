namespace Teleport.Orleans.Cli.Tctl;

/// <summary>An error meant for the user: printed as "ERROR: message" without a stack trace.</summary>
internal sealed class TctlException(string message) : Exception(message);

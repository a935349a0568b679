namespace Teleport.Orleans.Agent.Joining;

/// <summary>The node could not join: the message is the one line an operator needs (bad token, untrusted CA...).</summary>
internal sealed class JoinException(string message, Exception? inner = null) : Exception(message, inner);

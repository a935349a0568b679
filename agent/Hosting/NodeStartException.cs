namespace Teleport.Orleans.Agent.Hosting;

/// <summary>The node service could not start for a reason an operator can act on; the message is the one line to print.</summary>
internal sealed class NodeStartException(string message, Exception? inner = null) : Exception(message, inner);

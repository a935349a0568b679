namespace Teleport.Orleans.Backends.Core;

/// <summary>A backend could not be prepared at start (a missing permission, a missing schema): the message says what to fix.</summary>
public sealed class BackendSetupException(string message, Exception? inner = null) : Exception(message, inner);

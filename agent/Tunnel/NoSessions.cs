using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Tunnel;

/// <summary>The tunnel carries node connections only: every session request (exec, shell, subsystem) is refused.</summary>
internal sealed class NoSessions : ISshSessionHandler;

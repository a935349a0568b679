namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// What runs on a session channel once a request to start something (exec, shell or subsystem) is accepted.
/// It reads the client's input, writes output and error, and returns the exit status sent to the client; a
/// program that ended by a signal throws <see cref="SshExitSignalException"/> instead, and "exit-signal" is sent.
/// The token is cancelled when the client closes the channel or the connection ends.
/// </summary>
public delegate Task<int> SshProgram(SshSessionStreams streams, CancellationToken cancellationToken);

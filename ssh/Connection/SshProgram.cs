namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// What runs on a session channel once a request to start something (exec, and later shell or subsystem) is
/// accepted. It reads the client's input, writes output and error, and returns the exit status sent to the
/// client. The token is cancelled when the client closes the channel or the connection ends.
/// </summary>
public delegate Task<int> SshProgram(SshSessionStreams streams, CancellationToken cancellationToken);

namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// Decides whether to trust the server's host key; called once per connection, during the first key exchange and
/// before anything is authenticated. <see cref="SshHostKeyVerifiers"/> has the usual policies.
/// </summary>
public delegate ValueTask<SshHostKeyVerification> SshHostKeyVerifier(SshServerHostKey hostKey, CancellationToken cancellationToken);

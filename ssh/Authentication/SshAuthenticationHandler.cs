namespace Teleport.Orleans.Ssh.Authentication;

/// <summary>
/// Decides a login attempt. Called for the PK_OK query and again after the signature is verified,
/// so it must give the same answer for the same key both times.
/// </summary>
public delegate ValueTask<SshAuthenticationResult> SshAuthenticationHandler(SshAuthenticationRequest request, CancellationToken cancellationToken);

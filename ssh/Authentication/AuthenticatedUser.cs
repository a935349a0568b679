using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Authentication;

/// <summary>Who logged in, and with what, once user authentication succeeded.</summary>
internal sealed record AuthenticatedUser(string UserName, SshPublicKey PublicKey, SshCertificate? Certificate, object? State);

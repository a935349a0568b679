using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Cli.Tsh.Profiles;

/// <summary>The current profile with the user's private key and SSH certificate.</summary>
internal sealed record LoggedInUser(Profile Profile, SshPrivateKey Key, SshCertificate Certificate);

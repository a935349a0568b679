using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>Client options for tests: a user, a key, a host key verifier, and the client's logs collected.</summary>
internal static class ClientOptions
{
    public static SshClientOptions For(
        string user, SshPrivateKey key, SshHostKeyVerifier verifier, SshCertificate? certificate = null, ListLogger? logs = null, string hostName = "127.0.0.1") =>
        new()
        {
            UserName = user,
            HostName = hostName,
            PrivateKey = key,
            Certificate = certificate,
            HostKeyVerifier = verifier,
            LoggerFactory = logs,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
}

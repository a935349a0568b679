using Google.Protobuf;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Benchmarks.Signing;

/// <summary>Signing requests built before the clock starts, so key generation is not part of what is measured.</summary>
internal static class KeyPool
{
    public static GenerateUserCertsRequest[] Create(BenchmarkOptions options)
    {
        var sshType = options.KeyType == "ecdsa" ? SshKeyType.EcdsaP256 : SshKeyType.Ed25519;
        var requests = new GenerateUserCertsRequest[options.Keys];
        for (var i = 0; i < requests.Length; i++)
        {
            using var sshKey = SshPrivateKey.Generate(sshType);
            var request = new GenerateUserCertsRequest
            {
                User = options.User,
                SshPublicKey = sshKey.PublicKey.ToAuthorizedKeysLine(),
                TtlSeconds = options.TtlSeconds,
            };

            if (!options.NoTls)
            {
                // The cluster's X.509 identities are ECDSA P-256, so the TLS half always uses such a key.
                using var tlsKey = sshType == SshKeyType.EcdsaP256 ? null : SshPrivateKey.Generate(SshKeyType.EcdsaP256);
                request.TlsPublicKey = ByteString.CopyFrom((tlsKey ?? sshKey).ExportSubjectPublicKeyInfo());
            }

            requests[i] = request;
        }

        return requests;
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Grains.Certificates;

/// <summary>A signing worker's copy of the active CA keys, loaded once per activation and refreshed when stale.</summary>
internal sealed class SigningKeys : IDisposable
{
    private SigningKeys(CertAuthorityKeys user, CertAuthorityKeys host, CertAuthorityKeys tls, DateTimeOffset loadedAt)
    {
        ClusterName = tls.ClusterName;
        UserCa = SshPrivateKey.Parse(user.PrivateKey);
        HostCa = SshPrivateKey.Parse(host.PrivateKey);
        UserCaPublic = user.Public;
        HostCaPublic = host.Public;
        TlsCaPem = tls.Public;
        var caKey = ECDsa.Create();
        caKey.ImportFromPem(tls.PrivateKey);
        TlsCaKey = caKey;
        TlsCa = X509Certificate2.CreateFromPem(tls.Public);
        LoadedAt = loadedAt;
    }

    public string ClusterName { get; }

    public SshPrivateKey UserCa { get; }

    public SshPrivateKey HostCa { get; }

    public string UserCaPublic { get; }

    public string HostCaPublic { get; }

    public X509Certificate2 TlsCa { get; }

    public ECDsa TlsCaKey { get; }

    public string TlsCaPem { get; }

    public DateTimeOffset LoadedAt { get; }

    public static SigningKeys Create(CertAuthorityKeys user, CertAuthorityKeys host, CertAuthorityKeys tls, DateTimeOffset now) =>
        new(user, host, tls, now);

    public void Dispose()
    {
        UserCa.Dispose();
        HostCa.Dispose();
        TlsCaKey.Dispose();
        TlsCa.Dispose();
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Teleport.Orleans.Access.Identity;
using Teleport.Orleans.Grains;
using Teleport.Orleans.Grains.Authorities;
using Teleport.Orleans.Grains.Certificates;
using Teleport.Orleans.Silo.Bootstrap;
using Teleport.Orleans.Silo.Hosting;

namespace Teleport.Orleans.Silo.Tls;

/// <summary>
/// This silo's identity on the Orleans ports: an X.509 certificate for system role Auth that the silo signs itself
/// with the cluster's TLS CA, read from the backend before the silo joins (<see cref="SharedTlsAuthority"/>), and
/// re-signed at two thirds of its life. The TLS layer asks for <see cref="Certificate"/> on every new connection,
/// so a renewal needs no restart; connections already open keep theirs.
/// </summary>
public sealed partial class ClusterTransportIdentity(
    IServiceProvider services, AuthServiceOptions options, TimeProvider time, ILogger<ClusterTransportIdentity> logger) : IDisposable
{
    public const string AuthRole = "Auth";
    public const string ProxyRole = "Proxy";

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);
    private volatile X509Certificate2? _certificate;
    private volatile X509Certificate2[] _trustedCas = [];
    private string _clusterName = "";
    private ITimer? _renewal;

    /// <summary>The current certificate with its key; null until <see cref="LoadAsync"/> ran (handshakes fail until then).</summary>
    public X509Certificate2? Certificate => _certificate;

    public IReadOnlyCollection<X509Certificate2> TrustedCas => _trustedCas;

    public string ClusterName => Volatile.Read(ref _clusterName);

    /// <summary>Why <paramref name="presented"/> may not connect in one of <paramref name="roles"/>, or null.</summary>
    public string? Check(X509Certificate? presented, IReadOnlyCollection<string> roles) =>
        ClusterName.Length == 0 ? "this silo has no cluster identity yet" : ClusterCertificateCheck.Check(presented, TrustedCas, ClusterName, roles);

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await IssueAsync(cancellationToken);
        var renewEvery = options.InternalCertificateLifetime * 2 / 3;
        _renewal ??= time.CreateTimer(_ => _ = RenewAsync(), null, renewEvery, renewEvery);
    }

    public void Dispose() => _renewal?.Dispose();

    private async Task RenewAsync()
    {
        try
        {
            await IssueAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The current certificate stays valid for another third of its life; the next tick tries again.
            LogRenewalFailed(ex.Message);
        }
    }

    private async Task IssueAsync(CancellationToken cancellationToken)
    {
        var storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.ClusterState);
        var grains = services.GetRequiredService<IGrainFactory>();
        var authority = await SharedTlsAuthority.LoadOrCreateAsync(storage, grains, options.ClusterName, time, cancellationToken);
        var ca = X509Certificate2.CreateFromPem(authority.Public);
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(authority.PrivateKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var hostId = HostIdentity.LoadOrCreateHostId(options.DataDir);
        var identity = new X509Identity
        {
            Name = $"{hostId}.{authority.ClusterName}",
            Roles = [AuthRole],
            ClusterName = authority.ClusterName,
            SystemRoles = [AuthRole],
        };
        var now = time.GetUtcNow();
        var names = new[] { "teleport.cluster.local", options.NodeName, options.AdvertiseAddress.ToString(), IPAddress.Loopback.ToString() };
        var pem = SiloCertificateSigner.Sign(ca, caKey, key.ExportSubjectPublicKeyInfo(), identity, now - ClockSkew, now + options.InternalCertificateLifetime, names);
        using var issued = X509Certificate2.CreateFromPem(pem);
        // A key that lives only in memory; TLS on Linux takes it as it is.
        var certificate = issued.CopyWithPrivateKey(key);
        Volatile.Write(ref _clusterName, authority.ClusterName);
        _trustedCas = [ca];
        _certificate = certificate;
        LogIssued(identity.Name, certificate.NotAfter);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Internal TLS certificate for {Name} (role Auth) issued, valid until {NotAfter:u}")]
    private partial void LogIssued(string name, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the internal TLS certificate: {Reason}; retrying at the next interval")]
    private partial void LogRenewalFailed(string reason);
}

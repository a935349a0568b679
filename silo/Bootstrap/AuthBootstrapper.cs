using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Silo.Hosting;
using Teleport.Orleans.Silo.Membership;
using Teleport.Orleans.Silo.Tls;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Silo.Bootstrap;

/// <summary>
/// Runs once the silo is up: creates or checks the cluster, issues the auth API's TLS certificate and writes the
/// admin identity that <c>tctl</c> on this host uses.
/// </summary>
public sealed partial class AuthBootstrapper(
    IGrainFactory grains,
    AuthServiceOptions options,
    AuthTlsCredentials tls,
    GatewayAnnouncement announcement,
    ILogger<AuthBootstrapper> logger) : IHostedService
{
    private static readonly TimeSpan AdminIdentityTtl = TimeSpan.FromDays(365);
    private readonly TaskCompletionSource<ClusterSettings> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the cluster is bootstrapped and the auth API can serve.</summary>
    public Task<ClusterSettings> Ready => _ready.Task;

    public string HostId { get; private set; } = "";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            HostId = HostIdentity.LoadOrCreateHostId(options.DataDir);
            var settings = await grains.GetGrain<IClusterGrain>(IClusterGrain.Key).Bootstrap(new ClusterBootstrap
            {
                ClusterName = options.ClusterName,
                AuthPreference = options.AuthPreference,
                ProxyPublicAddr = options.ProxyPublicAddr,
            });
            await IssueServerCertificate();
            await WriteAdminIdentity();
            LogReady(settings.ClusterName, options.ListenEndpoint);
            announcement.Bootstrapped();
            _ready.TrySetResult(settings);
        }
        catch (Exception ex)
        {
            _ready.TrySetException(ex);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task IssueServerCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var names = new List<string> { "teleport.cluster.local", "*.teleport.cluster.local", "localhost", "127.0.0.1", "::1", options.NodeName, Dns.GetHostName() };
        if (!options.ListenEndpoint.Address.Equals(IPAddress.Any) && !options.ListenEndpoint.Address.Equals(IPAddress.IPv6Any))
        {
            names.Add(options.ListenEndpoint.Address.ToString());
        }

        names.AddRange(options.PublicNames);
        var issued = await grains.GetGrain<ICertificateIssuerGrain>(0).IssueHostCertificates(new HostCertificateRequest
        {
            HostId = HostId,
            NodeName = options.NodeName,
            Role = "Auth",
            TlsPublicKey = key.ExportSubjectPublicKeyInfo(),
            DnsNames = [.. names.Where(n => n.Length > 0)],
        }, Caller.System);
        var server = X509Certificate2.CreateFromPem(issued.TlsCertificatePem, key.ExportPkcs8PrivateKeyPem());
        tls.Set(server, X509Certificate2.CreateFromPem(issued.TlsCaPem));
    }

    private async Task WriteAdminIdentity()
    {
        using var key = SshPrivateKey.Generate(SshKeyType.EcdsaP256);
        var issued = await grains.GetGrain<ICertificateIssuerGrain>(0).IssueHostCertificates(new HostCertificateRequest
        {
            HostId = HostId,
            NodeName = options.NodeName,
            Role = "Admin",
            SshPublicKey = key.PublicKey.ToAuthorizedKeysLine(),
            TlsPublicKey = key.ExportSubjectPublicKeyInfo(),
            Ttl = AdminIdentityTtl,
        }, Caller.System);
        new IdentityFile
        {
            PrivateKeyPem = key.ToPkcs8Pem(),
            SshCertificate = issued.SshCertificate,
            TlsCertificatePem = issued.TlsCertificatePem,
            TlsCaCertificatesPem = [issued.TlsCaPem],
            KnownHostsLines = [$"@cert-authority {issued.ClusterName},*.{issued.ClusterName} {issued.HostCaPublicKey} type=host"],
        }.Save(options.AdminIdentityPath);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Auth service for cluster {ClusterName} is serving on {Endpoint}")]
    private partial void LogReady(string clusterName, IPEndPoint endpoint);
}

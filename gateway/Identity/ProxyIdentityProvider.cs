using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Gateway.Identity;

/// <summary>
/// One proxy identity for every listener of this gateway (SSH proxy, tunnels, peers), kept current. In the
/// all-in-one process the issuer grain vouches for its own proxy and the X.509 certificate is re-issued at two
/// thirds of its lifetime; a proxy-only process joined with a token and renews through the auth API, and this
/// follows what <see cref="GatewayOptions.HostIdentity"/> returns.
/// </summary>
internal sealed partial class ProxyIdentityProvider(IGrainFactory grains, GatewayOptions options, ILogger<ProxyIdentityProvider> logger) : BackgroundService
{
    private static readonly TimeSpan JoinedRecheck = TimeSpan.FromMinutes(1);

    private readonly TaskCompletionSource<ProxyIdentity> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ProxyIdentity? _current;

    public ProxyIdentity? Current => Volatile.Read(ref _current);

    public async Task<ProxyIdentity> GetAsync(CancellationToken cancellationToken) =>
        Current ?? await _first.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (options.HostIdentity is { } joined)
            {
                await FollowJoined(joined, stoppingToken);
            }
            else
            {
                await IssueAndRenew(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task FollowJoined(Func<GatewayHostIdentity> joined, CancellationToken stoppingToken)
    {
        var seen = joined();
        Set(ProxyIdentity.FromJoined(seen));
        while (true)
        {
            await Task.Delay(JoinedRecheck, stoppingToken);
            var latest = joined();
            if (latest.TlsCertificatePem != seen.TlsCertificatePem)
            {
                seen = latest;
                Set(ProxyIdentity.FromJoined(latest));
                LogRenewed(logger, Current!.TlsCertificate.NotAfter.ToUniversalTime());
            }
        }
    }

    private async Task IssueAndRenew(CancellationToken stoppingToken)
    {
        // The SSH host key lives in memory only: clients trust the host CA, not the key, and it never changes
        // while the process runs, so the SSH listener keeps it; only the X.509 certificate is renewed.
        var hostKey = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var hostId = Guid.NewGuid().ToString();
        Set(await IssueWithRetry(hostKey, hostId, stoppingToken));
        while (true)
        {
            var wait = Current!.RenewAt - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                // Task.Delay takes at most ~49 days; wake up and recompute beyond that.
                await Task.Delay(wait < TimeSpan.FromDays(30) ? wait : TimeSpan.FromDays(30), stoppingToken);
                continue;
            }

            Set(await IssueWithRetry(hostKey, hostId, stoppingToken));
            LogRenewed(logger, Current!.TlsCertificate.NotAfter.ToUniversalTime());
        }
    }

    private async Task<ProxyIdentity> IssueWithRetry(SshPrivateKey hostKey, string hostId, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                return await Issue(hostKey, hostId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Right after a first start the cluster's CAs may not exist yet.
                LogWaiting(logger, ex.Message);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    private async Task<ProxyIdentity> Issue(SshPrivateKey hostKey, string hostId)
    {
        using var tlsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issued = await grains.GetGrain<ICertificateIssuerGrain>(0).IssueHostCertificates(new HostCertificateRequest
        {
            HostId = hostId,
            NodeName = options.NodeName,
            Role = "Proxy",
            SshPublicKey = hostKey.PublicKey.ToAuthorizedKeysLine(),
            TlsPublicKey = tlsKey.ExportSubjectPublicKeyInfo(),
            AdditionalPrincipals = [.. options.HostNames],
            DnsNames = [.. options.HostNames],
        }, new Caller { Name = options.NodeName, Roles = ["Proxy"] });
        return new ProxyIdentity(
            hostKey,
            SshCertificate.Parse(issued.SshCertificate),
            ProxyIdentity.ParseKey(issued.UserCaPublicKey),
            issued.ClusterName,
            ProxyIdentity.ParseKey(issued.HostCaPublicKey),
            ProxyIdentity.WithKey(issued.TlsCertificatePem, tlsKey),
            ProxyIdentity.ParseCas(issued.TlsCaPem));
    }

    private void Set(ProxyIdentity identity)
    {
        Volatile.Write(ref _current, identity);
        _first.TrySetResult(identity);
    }
}

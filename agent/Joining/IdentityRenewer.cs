using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Agent.Joining;

/// <summary>
/// Renews a host's certificates (RenewHostCerts) at two thirds of their lifetime, retrying until it succeeds; the
/// SSH host key stays (clients trust the host CA, not the key) and the TLS key is new each time. The node name and
/// the extra principals travel with the request, so the renewed certificates name the host as the joined ones did
/// (a proxy has no node record to take them from).
/// </summary>
internal sealed partial class IdentityRenewer(
    string dataDir, NodeAuthClient auth, ILogger<IdentityRenewer> logger, IReadOnlyList<string>? additionalPrincipals = null)
{
    private static readonly TimeSpan RetryAfterRefusal = TimeSpan.FromMinutes(5);

    public static DateTimeOffset RenewAt(NodeIdentity identity)
    {
        var lifetime = identity.NotAfter - identity.NotBefore;
        return identity.NotBefore + (lifetime * 2 / 3);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var wait = RenewAt(auth.Identity) - DateTimeOffset.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    // Task.Delay takes at most ~49 days; wake up and recompute beyond that.
                    await Task.Delay(wait < TimeSpan.FromDays(30) ? wait : TimeSpan.FromDays(30), cancellationToken);
                    continue;
                }

                try
                {
                    await RenewAsync(cancellationToken);
                }
                catch (Grpc.Core.RpcException ex)
                {
                    // Transient failures are retried inside the call; a refusal is logged and tried again later,
                    // while the current certificates still work.
                    LogRenewalRefused(NodeAuthClient.Describe(ex), RetryAfterRefusal.TotalMinutes);
                    await Task.Delay(RetryAfterRefusal, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var current = auth.Identity;
        using var hostKey = current.HostKey();
        using var tlsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new RenewHostCertsRequest
        {
            SshPublicKey = hostKey.PublicKey.ToAuthorizedKeysLine(),
            TlsPublicKey = ByteString.CopyFrom(tlsKey.ExportSubjectPublicKeyInfo()),
            NodeName = current.NodeName,
        };
        request.AdditionalPrincipals.AddRange(additionalPrincipals ?? []);
        request.DnsNames.AddRange(additionalPrincipals ?? []);
        var issued = await auth.CallAsync("renewing the node's certificates", async (client, options) => await client.RenewHostCertsAsync(request, options), cancellationToken);
        var renewed = NodeIdentity.FromCertificates(current.HostId, current.NodeName, hostKey, tlsKey, issued);
        renewed.Save(dataDir);
        auth.UseIdentity(renewed);
        LogRenewed(renewed.NotAfter);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Host certificates renewed, valid until {NotAfter:O}")]
    private partial void LogRenewed(DateTimeOffset notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The auth service refused to renew the host certificates ({Reason}); trying again in {Minutes} min")]
    private partial void LogRenewalRefused(string reason, double minutes);
}

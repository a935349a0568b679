using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Agent.Joining;

/// <summary>
/// Renews the node's certificates (RenewHostCerts) at two thirds of their lifetime, retrying until it succeeds; the
/// SSH host key stays (clients trust the host CA, not the key) and the TLS key is new each time.
/// </summary>
internal sealed partial class IdentityRenewer(string dataDir, NodeAuthClient auth, ILogger<IdentityRenewer> logger)
{
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

                await RenewAsync(cancellationToken);
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
        };
        var issued = await auth.CallAsync("renewing the node's certificates", async (client, options) => await client.RenewHostCertsAsync(request, options), cancellationToken);
        var renewed = NodeIdentity.FromCertificates(current.HostId, current.NodeName, hostKey, tlsKey, issued);
        renewed.Save(dataDir);
        auth.UseIdentity(renewed);
        LogRenewed(renewed.NotAfter);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node certificates renewed, valid until {NotAfter:O}")]
    private partial void LogRenewed(DateTimeOffset notAfter);
}

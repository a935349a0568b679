using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Gateway.SshProxy;

/// <summary>
/// The proxy's SSH host key and certificate (role Proxy) and the user CA it trusts, from the issuer grain. The key
/// lives in memory only: a restarted gateway gets a new certificate, and clients trust the host CA, not the key.
/// </summary>
internal sealed record ProxyIdentity(SshPrivateKey HostKey, SshCertificate HostCertificate, SshPublicKey UserCa, string ClusterName, SshPublicKey HostCa)
{
    public static async Task<ProxyIdentity> Obtain(IGrainFactory grains, GatewayOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        if (options.HostIdentity is { } joined)
        {
            return new ProxyIdentity(
                SshPrivateKey.Parse(joined.SshPrivateKeyPem), SshCertificate.Parse(joined.SshCertificate), ParseKey(joined.UserCa), joined.ClusterName, ParseKey(joined.HostCa));
        }

        var key = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                var issued = await grains.GetGrain<ICertificateIssuerGrain>(0).IssueHostCertificates(new HostCertificateRequest
                {
                    HostId = Guid.NewGuid().ToString(),
                    NodeName = options.NodeName,
                    Role = "Proxy",
                    SshPublicKey = key.PublicKey.ToAuthorizedKeysLine(),
                    AdditionalPrincipals = [.. options.HostNames],
                }, new Caller { Name = options.NodeName, Roles = ["Proxy"] });
                return new ProxyIdentity(key, SshCertificate.Parse(issued.SshCertificate), ParseKey(issued.UserCaPublicKey), issued.ClusterName, ParseKey(issued.HostCaPublicKey));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Right after a first start the cluster's CAs may not exist yet.
                ProxyIdentityLog.Waiting(logger, ex.Message);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    /// <summary>The key from an authorized_keys-style line that may carry options in front (cert-authority ...).</summary>
    private static SshPublicKey ParseKey(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = Array.FindIndex(parts, p => p.StartsWith("ssh-", StringComparison.Ordinal) || p.StartsWith("ecdsa-", StringComparison.Ordinal));
        return SshPublicKey.Parse(start >= 0 && start + 1 < parts.Length ? $"{parts[start]} {parts[start + 1]}" : line);
    }
}

internal static partial class ProxyIdentityLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Waiting for the cluster to issue the proxy's host certificate: {Reason}")]
    public static partial void Waiting(ILogger logger, string reason);
}

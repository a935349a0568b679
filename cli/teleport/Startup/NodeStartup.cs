using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Teleport.Orleans.Agent.Hosting;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>Adds ssh_service to the process: on its own (joins with a token) or beside the auth service in one process.</summary>
internal static class NodeStartup
{
    /// <param name="localAuth">The auth API of this process in the all-in-one mode, whose grains vouch for the node.</param>
    public static void Add(IHostApplicationBuilder builder, TeleportConfig config, IPEndPoint? localAuth, bool insecure)
    {
        var options = NodeServiceOptionsMapper.Map(config, localAuth is null ? null : LocalAddress(localAuth), insecure);
        if (localAuth is null)
        {
            builder.AddNodeService(options);
            return;
        }

        // All-in-one: the auth service in this process vouches for its own node; no token is needed.
        builder.AddNodeService(services => options with
        {
            Join = null,
            LocalJoin = (request, _) => IssueLocally(services.GetRequiredService<IGrainFactory>(), request),
        });
    }

    /// <summary>The loopback address of this process's auth API when it listens on every interface.</summary>
    private static string LocalAddress(IPEndPoint endpoint)
    {
        var address = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : endpoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : endpoint.Address;
        return new IPEndPoint(address, endpoint.Port).ToString();
    }

    private static async Task<Certificates> IssueLocally(IGrainFactory grains, RegisterUsingTokenRequest request)
    {
        var issued = await grains.GetGrain<ICertificateIssuerGrain>(0).IssueHostCertificates(new HostCertificateRequest
        {
            HostId = request.HostId,
            NodeName = request.NodeName,
            Role = "Node",
            SshPublicKey = request.SshPublicKey,
            TlsPublicKey = request.TlsPublicKey.ToByteArray(),
            AdditionalPrincipals = [.. request.AdditionalPrincipals],
            DnsNames = [.. request.DnsNames],
        }, Caller.System);
        return new Certificates
        {
            SshCertificate = issued.SshCertificate,
            TlsCertificate = issued.TlsCertificatePem,
            TlsCa = issued.TlsCaPem,
            HostCa = issued.HostCaPublicKey,
            UserCa = issued.UserCaPublicKey,
            ClusterName = issued.ClusterName,
        };
    }
}

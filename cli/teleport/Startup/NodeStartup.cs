using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Hosting;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>Starts ssh_service: on its own (joins with a token) or beside the auth service in one process.</summary>
internal static class NodeStartup
{
    /// <summary>The node service, or null after printing why it could not start.</summary>
    public static async Task<NodeService?> StartAsync(
        TeleportConfig config, IGrainFactory? localGrains, IPEndPoint? localAuth, ILoggerFactory loggers, bool insecure, CancellationToken cancellationToken)
    {
        NodeServiceOptions options;
        try
        {
            options = NodeServiceOptionsMapper.Map(config, localAuth is null ? null : LocalAddress(localAuth), insecure);
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"ERROR: {ex.Message}");
            return null;
        }

        if (localGrains is not null)
        {
            // All-in-one: the auth service in this process vouches for its own node; no token is needed.
            options = options with { Join = null, LocalJoin = (request, _) => IssueLocally(localGrains, request) };
        }

        try
        {
            return await NodeService.StartAsync(options, loggers, cancellationToken);
        }
        catch (JoinException ex)
        {
            await Console.Error.WriteLineAsync($"ERROR: the node could not join the cluster: {ex.Message}");
        }
        catch (SocketException ex)
        {
            await Console.Error.WriteLineAsync($"ERROR: ssh_service cannot listen on {options.ListenEndpoint}: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync($"ERROR: ssh_service could not start: {ex.Message}");
        }

        return null;
    }

    public static void Print(TextWriter output, NodeService node)
    {
        output.WriteLine("[NODE]  SSH service is running.");
        output.WriteLine($"        Host:          {node.Options.NodeName} ({node.Identity.HostId})");
        output.WriteLine($"        Cluster:       {node.Identity.ClusterName}");
        output.WriteLine($"        Listening on:  {node.ListenEndpoint}");
        output.WriteLine();
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

using System.Net;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// Keeps a proxy-only process's joined identity current: renews it through the auth API over mutual TLS at two
/// thirds of the X.509 lifetime, as a node does, saves it in data_dir/proxy, and hands it to the gateway, which
/// re-reads <see cref="Current"/>.
/// </summary>
internal sealed class ProxyIdentityRenewal : IAsyncDisposable
{
    private readonly NodeAuthClient _auth;
    private readonly IdentityRenewer _renewer;

    public ProxyIdentityRenewal(string identityDir, NodeIdentity joined, string authServer, IReadOnlyList<string> hostNames, ILoggerFactory loggers)
    {
        _auth = new NodeAuthClient(authServer, joined, loggers.CreateLogger<NodeAuthClient>());
        _renewer = new IdentityRenewer(identityDir, _auth, loggers.CreateLogger<IdentityRenewer>(), hostNames);
    }

    public GatewayHostIdentity Current => ToGateway(_auth.Identity);

    public Task RunAsync(CancellationToken cancellationToken) => _renewer.RunAsync(cancellationToken);

    /// <summary>The auth pool's Orleans gateways, asked of the auth server (the private load balancer) with this identity.</summary>
    public async Task<IReadOnlyList<IPEndPoint>> ListAuthGatewaysAsync(CancellationToken cancellationToken)
    {
        var response = await _auth.Client.ListAuthGatewaysAsync(new ListAuthGatewaysRequest(), cancellationToken: cancellationToken);
        return [.. response.Endpoints.Select(IPEndPoint.Parse)];
    }

    public ValueTask DisposeAsync() => _auth.DisposeAsync();

    private static GatewayHostIdentity ToGateway(NodeIdentity identity) => new(
        identity.SshPrivateKeyPem, identity.SshCertificate, identity.UserCa, identity.HostCa, identity.ClusterName,
        identity.TlsPrivateKeyPem, identity.TlsCertificatePem, identity.TlsCaPem);
}

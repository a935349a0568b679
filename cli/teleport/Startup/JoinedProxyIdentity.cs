using System.Net;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// A proxy-only process's joined identity as the gateway and the Orleans client read it: created when the process is
/// composed, filled by <see cref="ProxyIdentityRenewal"/> when it has joined (before either starts) and kept current by it.
/// </summary>
internal sealed class JoinedProxyIdentity
{
    private NodeAuthClient? _auth;

    /// <summary>The auth API client with this proxy's identity.</summary>
    public NodeAuthClient Auth
    {
        get => _auth ?? throw new InvalidOperationException("The proxy has not joined the cluster yet.");
        set => _auth = value;
    }

    public bool Joined => _auth is not null;

    public GatewayHostIdentity Current => ToGateway(Auth.Identity);

    /// <summary>The auth pool's Orleans gateways, asked of the auth server (the private load balancer) with this identity.</summary>
    public async Task<IReadOnlyList<IPEndPoint>> ListAuthGatewaysAsync(CancellationToken cancellationToken)
    {
        var response = await Auth.Client.ListAuthGatewaysAsync(new ListAuthGatewaysRequest(), cancellationToken: cancellationToken);
        return [.. response.Endpoints.Select(IPEndPoint.Parse)];
    }

    private static GatewayHostIdentity ToGateway(NodeIdentity identity) => new(
        identity.SshPrivateKeyPem, identity.SshCertificate, identity.UserCa, identity.HostCa, identity.ClusterName,
        identity.TlsPrivateKeyPem, identity.TlsCertificatePem, identity.TlsCaPem);
}

using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Teleport.Orleans.Access.Joining;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Grains.Nodes;
using Teleport.Orleans.Grains.Tokens;

namespace Teleport.Orleans.Silo.Api;

internal sealed partial class AuthApiService
{
    public override async Task<HeartbeatResponse> Heartbeat(NodeHeartbeat request, ServerCallContext context)
    {
        var host = authorizer.AuthorizeHost(context, "Node");
        var node = request.Node ?? throw AuthException.BadParameter("a heartbeat carries the node resource");
        if (!host.MayActFor(node.Name))
        {
            throw AuthException.AccessDenied($"host \"{host.HostId}\" may not heartbeat for node \"{node.Name}\"");
        }

        if (node.SubKind.Length > 0)
        {
            throw AuthException.BadParameter($"agents heartbeat sub_kind \"\", not \"{node.SubKind}\"");
        }

        var lease = await grains.GetGrain<INodeGrain>(node.Name).Heartbeat(node.FromProto(), host.Caller);
        return new HeartbeatResponse
        {
            Expires = Timestamp.FromDateTimeOffset(lease.Expires),
            NextHeartbeatSeconds = Math.Max(1, (long)Math.Ceiling(lease.NextHeartbeat.TotalSeconds)),
        };
    }

    public override async Task<ListNodesResponse> ListNodes(ListNodesRequest request, ServerCallContext context)
    {
        // Gateways route on every node; users see the nodes one of their logins may reach.
        var visibility = await authorizer.NodeVisibility(context, "Proxy");
        var nodes = await grains.ListNodesAsync();
        var page = NodePage.Select(nodes, request, visibility);
        var response = new ListNodesResponse { NextKey = page.NextKey, TotalCount = page.TotalCount };
        response.Nodes.AddRange(page.Nodes.Select(n => n.ToProto()));
        return response;
    }

    public override async Task<Certificates> RenewHostCerts(RenewHostCertsRequest request, ServerCallContext context)
    {
        var host = authorizer.AuthorizeHost(context, "Node", "Proxy", "App");
        if (host.IsAdmin)
        {
            throw AuthException.BadParameter("the admin identity has no host certificates to renew: use tctl auth sign");
        }

        var identity = ApiIdentity.From(context).Certificate!;
        var nodeName = request.NodeName.Length > 0
            ? request.NodeName
            : (await grains.GetGrain<INodeGrain>(host.HostId).Get())?.Hostname ?? "";
        var certificates = await grains.GetGrain<ICertificateIssuerGrain>(0).IssueHostCertificates(new HostCertificateRequest
        {
            HostId = host.HostId,
            NodeName = nodeName,
            // The role the host joined with, as its certificate says; a renewal never widens it.
            Role = identity.SystemRoles[0],
            SshPublicKey = request.SshPublicKey,
            TlsPublicKey = request.TlsPublicKey.ToByteArray(),
            AdditionalPrincipals = [.. request.AdditionalPrincipals],
            DnsNames = [.. request.DnsNames],
        }, host.Caller);
        return certificates.ToCertificates();
    }
}

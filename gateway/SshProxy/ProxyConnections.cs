using System.Net;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Diagnostics;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.SshProxy;

/// <summary>Routes one client request to a node and wraps the connection so its start and end are audited.</summary>
internal sealed partial class ProxyConnections(NodeRouter router, ProxyAudit audit, ActiveConnections active, ProxyMetrics metrics, ILogger<ProxyConnections> logger)
{
    public async Task<AuditedStream> Open(ProxyUser user, string host, int port, string channel, CancellationToken cancellationToken)
    {
        // The access check happens here, before dialing.
        var (node, stream) = await metrics.TrackConnect(async () =>
        {
            var node = await router.Route(user, host, port);
            return (node, await router.Dial(node, user.ClientAddress, cancellationToken));
        });
        var sessionId = Guid.NewGuid().ToString();
        // Performance: the start event (a grain call and a storage write, 1-6 ms) is written while the client's traffic
        // already flows instead of in front of the channel confirmation; the stream closes itself if it fails.
        var started = audit.Start(user, node, sessionId, channel);
        AuditedStream? audited = null;
        audited = new AuditedStream(
            stream,
            started,
            (sent, received) =>
            {
                active.Remove(audited!);
                return EndQuietly(user, node, sessionId, channel, received, sent);
            },
            ex => LogUnaudited(logger, user.Name, node.Hostname, ex.Message));
        active.Add(audited, user, node);
        return audited;
    }

    public static string AddressOf(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => new IPEndPoint(ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address, ip.Port).ToString(),
        null => "",
        _ => endPoint.ToString() ?? "",
    };

    private async Task EndQuietly(ProxyUser user, Node node, string sessionId, string channel, long received, long sent)
    {
        try
        {
            await audit.End(user, node, sessionId, channel, received, sent);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The connection is already over; a failed end event must not throw into the SSH connection's teardown.
        }
    }
}

using System.Text.Json.Nodes;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Audit;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.SshProxy;

/// <summary>
/// Session start and end as the proxy sees them: who went to which node from where, and how many bytes. Written through
/// <see cref="ProxyAuditLog.Write"/>: the connection waits on its start event.
/// </summary>
internal sealed class ProxyAudit(ProxyAuditLog log)
{
    public Task Start(ProxyUser user, Node node, string sessionId, string channel) =>
        Emit(AuditEventTypes.SessionStart, user, node, sessionId, channel, null);

    public Task End(ProxyUser user, Node node, string sessionId, string channel, long bytesIn, long bytesOut) =>
        Emit(AuditEventTypes.SessionEnd, user, node, sessionId, channel, (bytesIn, bytesOut));

    private Task Emit(AuditEventType type, ProxyUser user, Node node, string sessionId, string channel, (long In, long Out)? bytes)
    {
        var fields = new JsonObject
        {
            ["sid"] = sessionId,
            ["server_id"] = node.Name,
            ["server_hostname"] = node.Hostname,
            ["server_addr"] = node.Addr,
            ["addr.remote"] = user.ClientAddress,
            ["proxy_channel"] = channel,
            ["session_recording"] = "node",
        };
        if (bytes is { } b)
        {
            fields["bytes_received"] = b.In;
            fields["bytes_sent"] = b.Out;
        }

        var caller = new Caller { Name = user.Name, Roles = user.Roles, Address = user.ClientAddress };
        return log.Write(type, caller, fields);
    }
}

using System.Text.Json.Nodes;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Audit;

namespace Teleport.Orleans.Gateway.Apps;

/// <summary>
/// The proxy's app audit events: each forwarded request (<c>app.session.request</c>, T2009I) and each refusal
/// (<c>app.session.start</c> T2007W with the reason). They go through the proxy's audit path in batches
/// (<see cref="ProxyAuditLog.Enqueue"/>), so a request never waits for its event to be stored.
/// </summary>
internal sealed class AppAudit(ProxyAuditLog log)
{
    public void Request(AppSession session, App app, string method, string path, string query, int status, string clientAddress) =>
        Emit(AuditEventTypes.AppSessionRequest, new Caller { Name = session.User, Roles = session.Roles, Address = clientAddress }, new JsonObject
        {
            ["sid"] = session.Id,
            ["app_name"] = app.Name,
            ["app_public_addr"] = session.PublicAddr,
            ["method"] = method,
            ["path"] = path,
            ["raw_query"] = query.TrimStart('?'),
            ["status_code"] = status,
        });

    public void Refused(string user, string host, string appName, string credential, string reason, string clientAddress) =>
        Emit(AuditEventTypes.AppSessionRejected, new Caller { Name = user.Length > 0 ? user : "anonymous", Address = clientAddress }, new JsonObject
        {
            ["success"] = false,
            ["error"] = reason,
            ["app_name"] = appName,
            ["app_public_addr"] = host,
            ["credential"] = credential,
        });

    private void Emit(AuditEventType type, Caller caller, JsonObject fields) => log.Enqueue(type, caller, fields);
}

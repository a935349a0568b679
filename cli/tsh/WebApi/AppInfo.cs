using System.Text.Json;

namespace Teleport.Orleans.Cli.Tsh.WebApi;

/// <summary>One app of <c>GET /v1/webapi/sites/{site}/apps</c>.</summary>
internal sealed record AppInfo(string Name, string Description, string PublicAddr, string Url, IReadOnlyDictionary<string, string> Labels)
{
    public static AppInfo Parse(JsonElement item) => new(
        item.Text("name") ?? "",
        item.Text("description") ?? "",
        item.Text("publicAddr") ?? "",
        item.Text("url") ?? "",
        item.Items("labels").ToDictionary(l => l.Text("name") ?? "", l => l.Text("value") ?? "", StringComparer.Ordinal));
}

/// <summary>What <c>POST /v1/webapi/sessions/app</c> answers tsh: the session, where the app is, the app certificate.</summary>
internal sealed record AppLoginResponse(string SessionId, string Fqdn, string Url, string TlsCertificate, string TlsCa);

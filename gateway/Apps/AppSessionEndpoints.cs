using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Access.Identity;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Gateway.WebApi;
using Teleport.Orleans.Gateway.WebSessions;

namespace Teleport.Orleans.Gateway.Apps;

/// <summary>
/// The web API of app access on the proxy's own host: <c>GET /.well-known/jwks.json</c> (the JWT CA's public keys),
/// <c>GET /v1/webapi/sites/{site}/apps</c> (the apps the caller's roles reach), <c>POST /v1/webapi/sessions/app</c>
/// (creates an app session; with <c>tls_public_key</c> also the app certificate for tsh) and
/// <c>DELETE /v1/webapi/sessions/app/{id}</c> (logout). Callers authenticate with their tsh client certificate, or
/// (the web UI launching an app) with their web session: cookie and bearer token.
/// </summary>
internal static class AppSessionEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/.well-known/jwks.json", Jwks);
        routes.MapGet("/v1/webapi/sites/{site}/apps", (string site, HttpContext context, IGrainFactory grains, RoutingCache cache, AppCatalog catalog) =>
            WebApiError.Guard(() => List(site, context, grains, cache, catalog)));
        routes.MapPost("/v1/webapi/sessions/app", (HttpContext context, IGrainFactory grains, AppCatalog catalog, AppAudit audit, WebSessionService webSessions) =>
            WebApiError.Guard(() => Create(context, grains, catalog, audit, webSessions)));
        routes.MapDelete("/v1/webapi/sessions/app/{id}", (string id, HttpContext context, IGrainFactory grains, AppCredentials credentials) =>
            WebApiError.Guard(() => Delete(id, context, grains, credentials)));
    }

    /// <summary>Ends a session and forgets it on this proxy (other proxies stop honouring it within their cache time).</summary>
    public static async Task End(AppSession session, AppCredentials credentials, string clientAddress)
    {
        credentials.Forget(session.Id);
        await GrainFactoryOf(credentials).GetGrain<IAppSessionGrain>(session.Id).End(new Caller { Name = session.User, Roles = session.Roles, Address = clientAddress });
    }

    private static IGrainFactory GrainFactoryOf(AppCredentials credentials) => credentials.Grains;

    private static async Task<IResult> Jwks(IGrainFactory grains)
    {
        var info = await grains.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(CertAuthorityType.Jwt)).GetInfo();
        var keys = new JsonArray();
        if (info is not null)
        {
            keys.Add(JwtKeys.ToJwk(info.Public));
        }

        return Results.Json(new JsonObject { ["keys"] = keys });
    }

    private static async Task<IResult> List(string site, HttpContext context, IGrainFactory grains, RoutingCache cache, AppCatalog catalog)
    {
        var user = await WebUser.Require(site, context, grains, cache);
        return Results.Json(new
        {
            items = catalog.Apps.Where(a => user.Roles.CheckApp(a.Labels).Allowed).Select(a => new
            {
                kind = "app",
                name = a.Name,
                description = a.Description,
                uri = a.Uri,
                publicAddr = catalog.PublicAddrOf(a),
                fqdn = catalog.PublicAddrOf(a),
                clusterId = user.ClusterName,
                url = catalog.UrlOf(a),
                labels = a.Labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new { name = p.Key, value = p.Value }),
            }),
        });
    }

    private static async Task<IResult> Create(HttpContext context, IGrainFactory grains, AppCatalog catalog, AppAudit audit, WebSessionService webSessions)
    {
        WebSession? web = null;
        string user;
        if (WebSessionService.Presents(context))
        {
            web = await webSessions.Require(context);
            user = web.User;
        }
        else if (context.Connection.ClientCertificate is null)
        {
            throw new WebAuthException(StatusCodes.Status401Unauthorized, "you are not signed in: sign in to the web UI to launch an app, or run tsh apps login");
        }
        else
        {
            var identity = await ClientIdentity.Require(context, grains);
            if (identity.RouteToApp is not null)
            {
                throw AuthException.AccessDenied("an app certificate cannot start another app session; use the certificate from tsh login");
            }

            user = identity.Name;
        }

        var body = await JsonBody.Read<CreateRequest>(context.Request);
        var settings = await grains.GetGrain<IClusterGrain>(IClusterGrain.Key).GetSettings();
        if (body.ClusterName is { Length: > 0 } cluster && !string.Equals(cluster, settings.ClusterName, StringComparison.OrdinalIgnoreCase))
        {
            throw AuthException.NotFound($"cluster \"{cluster}\" is not found");
        }

        var app = await Find(body, catalog);
        byte[] publicKey = [];
        if (web is not null && body.TlsPublicKey is { Length: > 0 })
        {
            throw new BadRequestException("tls_public_key needs the client certificate of tsh login; the web UI gets a session cookie only");
        }

        if (body.TlsPublicKey is { Length: > 0 } encoded)
        {
            try
            {
                publicKey = Convert.FromBase64String(encoded);
            }
            catch (FormatException)
            {
                throw new BadRequestException("tls_public_key is not base64 (DER SubjectPublicKeyInfo)");
            }
        }

        var client = ClientAddress.Of(context);
        var publicAddr = catalog.PublicAddrOf(app);
        AppSessionCreated created;
        try
        {
            created = await grains.GetGrain<IAppSessionGrain>(IAppSessionGrain.NewId()).Create(new AppSessionRequest
            {
                UserCertificatePem = web is null ? context.Connection.ClientCertificate!.ExportCertificatePem() : "",
                WebSessionId = web?.Id ?? "",
                WebBearerHash = web is null ? "" : WebSessionService.BearerHash(context),
                AppName = app.Name,
                PublicAddr = publicAddr,
                TlsPublicKey = publicKey,
                ClientAddress = client,
            });
        }
        catch (AuthException ex)
        {
            audit.Refused(user, publicAddr, app.Name, web is null ? "certificate" : "web_session", ex.Message, client);
            throw;
        }

        var session = created.Session;
        return Results.Json(new
        {
            cookie_value = session.Id,
            subject_cookie_value = session.SubjectToken,
            fqdn = publicAddr,
            public_addr = publicAddr,
            cluster_name = session.ClusterName,
            app_name = app.Name,
            url = catalog.UrlOf(app),
            expires = session.Expires.UtcDateTime.ToString("O"),
            tls_cert = created.TlsCertificatePem,
            tls_ca = created.TlsCaPem,
        });
    }

    private static async Task<App> Find(CreateRequest body, AppCatalog catalog)
    {
        if (body.AppName is { Length: > 0 } name)
        {
            return await catalog.Get(name) ?? throw AuthException.NotFound($"app \"{name}\" is not registered in the cluster");
        }

        var fqdn = body.Fqdn is { Length: > 0 } f ? f : body.PublicAddr ?? "";
        var host = fqdn.Split(':')[0];
        return (await catalog.Match(host))?.App ?? throw AuthException.NotFound($"no app is served at \"{fqdn}\"");
    }

    private static async Task<IResult> Delete(string id, HttpContext context, IGrainFactory grains, AppCredentials credentials)
    {
        var identity = await ClientIdentity.Require(context, grains);
        var session = await credentials.Session(id);
        if (session is null || session.User != identity.Name)
        {
            // Another user's session id is answered as an unknown one.
            throw AuthException.NotFound("no such app session");
        }

        await End(session, credentials, ClientAddress.Of(context));
        return Results.Json(new { });
    }

    private sealed record CreateRequest
    {
        [System.Text.Json.Serialization.JsonPropertyName("fqdn")]
        public string? Fqdn { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("public_addr")]
        public string? PublicAddr { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("cluster_name")]
        public string? ClusterName { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("app_name")]
        public string? AppName { get; init; }

        [System.Text.Json.Serialization.JsonPropertyName("tls_public_key")]
        public string? TlsPublicKey { get; init; }
    }
}

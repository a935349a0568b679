using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Http;
using Teleport.Orleans.Access.Identity;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Gateway.Apps;

/// <summary>
/// Finds the app session behind a request: the <c>__Host-grv_app_session</c> cookie (honoured only beside its
/// matching <c>__Host-grv_app_session_subject</c> cookie, as in Teleport), or a client certificate from
/// <c>tsh apps login</c> (checked against the cluster's TLS CA and its validity, its route-to-app session id then
/// looked up). Sessions are cached for a few seconds, so a logout on another proxy applies within that time.
/// </summary>
internal sealed class AppCredentials(IGrainFactory grains)
{
    public const string SessionCookie = "__Host-grv_app_session";
    public const string SubjectCookie = "__Host-grv_app_session_subject";

    private static readonly TimeSpan SessionCacheTime = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CaCacheTime = TimeSpan.FromMinutes(1);
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<string, (AppSession? Session, DateTimeOffset Fetched)> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CheckedCertificate> _certificates = new(StringComparer.Ordinal);
    private (X509Certificate2Collection Roots, DateTimeOffset Fetched)? _ca;

    public IGrainFactory Grains => grains;

    /// <summary>What a request presented and what it resolves to; <see cref="Refusal"/> says why it cannot be used.</summary>
    public async Task<AppCredential> Resolve(HttpContext context)
    {
        if (context.Connection.ClientCertificate is { } certificate)
        {
            var check = await Check(certificate);
            if (check.Refusal is { } refusal)
            {
                return new AppCredential("certificate", null, check.Identity?.Name ?? "", refusal);
            }

            if (check.Identity!.RouteToApp is { } route)
            {
                var session = await Session(route.SessionId);
                return session is null
                    ? new AppCredential("certificate", null, check.Identity.Name, "the app session of this certificate has ended; run tsh apps login again")
                    : new AppCredential("certificate", session, session.User, null);
            }

            // A user certificate without route-to-app: fall through to the cookie (a browser may hold both).
        }

        if (context.Request.Cookies[SessionCookie] is { Length: > 0 } cookie)
        {
            var session = await Session(cookie);
            var subject = context.Request.Cookies[SubjectCookie] ?? "";
            return session is null ? new AppCredential("cookie", null, "", "the app session cookie is not a current session")
                : !SubjectMatches(session, subject) ? new AppCredential("cookie", null, session.User, subject.Length == 0
                    ? "the app session cookie came without its subject cookie; open the app from the web UI again"
                    : "the app session's subject cookie does not match its session cookie; open the app from the web UI again")
                : new AppCredential("cookie", session, session.User, null);
        }

        return new AppCredential("none", null, "", null);
    }

    /// <summary>Whether <paramref name="subject"/> is the session's own subject cookie value (compared in constant time).</summary>
    internal static bool SubjectMatches(AppSession session, string subject) =>
        session.SubjectToken.Length > 0
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(subject), Encoding.UTF8.GetBytes(session.SubjectToken));

    /// <summary>The session by id from the short cache or its grain; null when unknown or expired.</summary>
    public async Task<AppSession?> Session(string id)
    {
        var now = DateTimeOffset.UtcNow;
        if (_sessions.TryGetValue(id, out var cached) && now - cached.Fetched < SessionCacheTime)
        {
            return cached.Session is { } live && !live.IsExpired(now) ? live : null;
        }

        if (id.Length is < 32 or > 128)
        {
            return null;
        }

        var session = await grains.GetGrain<IAppSessionGrain>(id).Get();
        if (_sessions.Count > MaxCached)
        {
            _sessions.Clear();
        }

        _sessions[id] = (session, now);
        return session;
    }

    /// <summary>Drops a session this proxy ended, so it stops working here at once.</summary>
    public void Forget(string id) => _sessions.TryRemove(id, out _);

    private async Task<CheckedCertificate> Check(X509Certificate2 certificate)
    {
        var now = DateTimeOffset.UtcNow;
        var thumbprint = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        if (!_certificates.TryGetValue(thumbprint, out var check))
        {
            check = Verify(certificate, await Roots());
            if (_certificates.Count > MaxCached)
            {
                _certificates.Clear();
            }

            _certificates[thumbprint] = check;
        }

        return check.Refusal is null && check.NotAfter <= now
            ? check with { Refusal = $"the client certificate expired at {check.NotAfter:u}; run tsh apps login again" }
            : check;
    }

    private static CheckedCertificate Verify(X509Certificate2 certificate, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var identity = X509Identity.FromSubject(certificate.SubjectName);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        if (!chain.Build(certificate))
        {
            var expired = chain.ChainStatus.Any(s => s.Status == X509ChainStatusFlags.NotTimeValid);
            return new CheckedCertificate(identity, notAfter, expired
                ? $"the client certificate expired at {notAfter:u}; run tsh apps login again"
                : "the client certificate is not from this cluster's TLS CA");
        }

        return identity.SystemRoles.Length > 0
            ? new CheckedCertificate(identity, notAfter, "a host certificate cannot reach apps")
            : new CheckedCertificate(identity, notAfter, null);
    }

    private async Task<X509Certificate2Collection> Roots()
    {
        var now = DateTimeOffset.UtcNow;
        if (_ca is { } ca && now - ca.Fetched < CaCacheTime)
        {
            return ca.Roots;
        }

        var info = await grains.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(CertAuthorityType.Tls)).GetInfo();
        var roots = new X509Certificate2Collection();
        if (info is not null)
        {
            roots.ImportFromPem(info.Public);
        }

        _ca = (roots, now);
        return roots;
    }

    private sealed record CheckedCertificate(X509Identity? Identity, DateTimeOffset NotAfter, string? Refusal);
}

/// <summary>
/// The credential of one request: how it came (<c>certificate</c>, <c>cookie</c> or <c>none</c>), the session it
/// resolves to, the user it names, and why it is refused (null when usable, or when none was presented).
/// </summary>
internal sealed record AppCredential(string Kind, AppSession? Session, string User, string? Refusal);

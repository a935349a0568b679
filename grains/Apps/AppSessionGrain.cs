using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Access.Identity;
using Teleport.Orleans.Access.Locks;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Audit;

namespace Teleport.Orleans.Grains.Apps;

/// <summary>
/// One app session (see <see cref="IAppSessionGrain"/>): created from the user's own certificate, which this grain
/// checks against the cluster's TLS CA, then kept with its expiry until it runs out or the user logs out.
/// </summary>
internal sealed class AppSessionGrain(
    [PersistentState("appsession", StorageNames.ClusterState)] IPersistentState<AppSessionState> state,
    TimeProvider time) : Grain, IAppSessionGrain
{
    private string Id => this.GetPrimaryKeyString();

    public async Task<AppSessionCreated> Create(AppSessionRequest request)
    {
        if (state.State.Session is not null || Id.Length < 32)
        {
            throw AuthException.BadParameter("an app session needs a new random id");
        }

        var now = time.GetUtcNow();
        var identity = request.WebSessionId.Length > 0
            ? await VerifyWebSession(request.WebSessionId, request.WebBearerHash)
            : await VerifyUser(request.UserCertificatePem);
        var app = await GrainFactory.GetGrain<IAppRegistryGrain>(IAppRegistryGrain.DefaultKey).Get(request.AppName)
            ?? throw AuthException.NotFound($"app \"{request.AppName}\" is not registered in the cluster");
        var traits = identity.Traits;
        var roles = await Task.WhenAll(identity.Roles.Select(r => GrainFactory.GetGrain<IRoleGrain>(r).Get()));
        var roleSet = new RoleSet([.. roles.OfType<Role>()], traits);
        var decision = roleSet.CheckApp(app.Labels);
        if (!decision.Allowed)
        {
            throw AuthException.AccessDenied($"access to app \"{app.Name}\" denied to {identity.Name}: {decision.Reason}");
        }

        var locks = await GrainFactory.GetGrain<IResourceDirectoryGrain<AccessLock>>(IResourceDirectoryGrain<AccessLock>.DefaultKey).List();
        if (LockMatcher.FindInForce(locks, LockMatcher.SessionTargets(identity.Name), now) is { } userLock)
        {
            throw AuthException.AccessDenied(userLock.Message.Length > 0
                ? $"user \"{identity.Name}\" is locked by {userLock.Name}: {userLock.Message}"
                : $"user \"{identity.Name}\" is locked by {userLock.Name}");
        }

        var expires = identity.Expires;
        if (roleSet.MaxSessionTtl > TimeSpan.Zero && now + roleSet.MaxSessionTtl < expires)
        {
            expires = now + roleSet.MaxSessionTtl;
        }

        var jwtKeys = await GrainFactory.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(CertAuthorityType.Jwt)).GetSigningKeys();
        var session = new AppSession
        {
            Id = Id,
            User = identity.Name,
            Roles = identity.Roles,
            Traits = traits,
            AppName = app.Name,
            PublicAddr = request.PublicAddr,
            ClusterName = identity.ClusterName,
            Created = now,
            Expires = expires,
            Jwt = AppJwt.Sign(jwtKeys.PrivateKey, jwtKeys.ClusterName, identity.Name, identity.Roles, traits, app.Uri, now, expires),
            ClientAddress = request.ClientAddress,
            SubjectToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        };

        var created = new AppSessionCreated { Session = session };
        if (request.TlsPublicKey.Length > 0)
        {
            var issued = await GrainFactory.GetGrain<ICertificateIssuerGrain>(0).IssueUserCertificates(new UserCertificateRequest
            {
                User = identity.Name,
                TlsPublicKey = request.TlsPublicKey,
                Ttl = expires - now,
                ClientAddress = request.ClientAddress,
                RouteToApp = new AppCertificateRoute { SessionId = Id, PublicAddr = request.PublicAddr, Name = app.Name, Expires = expires },
            }, Caller(session));
            created = created with { TlsCertificatePem = issued.TlsCertificatePem, TlsCaPem = issued.TlsCaPem };
        }

        state.State.Session = session;
        await state.WriteStateAsync();
        await GrainFactory.Audit(AuditEventTypes.AppSessionStart, Caller(session), now, Fields(session, app));
        return created;
    }

    public Task<AppSession?> Get() =>
        Task.FromResult(state.State.Session is { } session && !session.IsExpired(time.GetUtcNow()) ? session : null);

    public async Task End(Caller caller)
    {
        if (state.State.Session is not { } session)
        {
            return;
        }

        await state.ClearStateAsync();
        await GrainFactory.Audit(AuditEventTypes.AppSessionEnd, caller, time.GetUtcNow(), new JsonObject
        {
            ["sid"] = session.Id,
            ["app_name"] = session.AppName,
            ["app_public_addr"] = session.PublicAddr,
        });
        DeactivateOnIdle();
    }

    /// <summary>
    /// The user of a web UI session, checked here with the bearer hash the browser's call carried (the proxy's word
    /// is not enough): the app session lasts no longer than the web session.
    /// </summary>
    private async Task<Requester> VerifyWebSession(string sessionId, string bearerHash)
    {
        var check = await GrainFactory.GetGrain<IWebSessionGrain>(sessionId).Use(bearerHash);
        if (check.Session is not { } web || check.Failure != WebSessionFailure.None)
        {
            throw AuthException.AccessDenied("the web session has ended or does not match its bearer token; sign in again");
        }

        var settings = await GrainFactory.GetGrain<IClusterGrain>(IClusterGrain.Key).GetSettings();
        return new Requester(web.User, web.Roles, web.Traits, settings.ClusterName, web.Expires);
    }

    /// <summary>The identity in a user certificate that chains to the cluster's TLS CA and is valid now, and when it expires.</summary>
    private async Task<Requester> VerifyUser(string certificatePem)
    {
        var ca = await GrainFactory.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(CertAuthorityType.Tls)).GetInfo()
            ?? throw AuthException.NotFound("the cluster's TLS CA does not exist yet");
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (CryptographicException)
        {
            throw AuthException.BadParameter("the user certificate is not a PEM X.509 certificate");
        }

        using (certificate)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(ca.Public);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
            if (!chain.Build(certificate))
            {
                throw AuthException.AccessDenied("the user certificate is not from this cluster's TLS CA or has expired");
            }

            var identity = X509Identity.FromSubject(certificate.SubjectName);
            if (identity.SystemRoles.Length > 0 || identity.RouteToApp is not null || identity.Name.Length == 0)
            {
                throw AuthException.AccessDenied("only a user's own certificate from tsh login can start an app session");
            }

            return new Requester(identity.Name, identity.Roles, ParseTraits(identity.Traits), identity.ClusterName, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
        }
    }

    private static Dictionary<string, string[]> ParseTraits(string json)
    {
        if (json.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string[]>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static Caller Caller(AppSession session) => new() { Name = session.User, Roles = session.Roles, Address = session.ClientAddress };

    private static JsonObject Fields(AppSession session, App app) => new()
    {
        ["sid"] = session.Id,
        ["app_name"] = app.Name,
        ["app_uri"] = app.Uri,
        ["app_public_addr"] = session.PublicAddr,
        ["server_id"] = app.HostId,
        ["expires"] = session.Expires.UtcDateTime.ToString("O"),
    };
}

/// <summary>Who asks for an app session, once their proof (certificate or web session) is checked.</summary>
internal sealed record Requester(string Name, string[] Roles, Dictionary<string, string[]> Traits, string ClusterName, DateTimeOffset Expires);

[GenerateSerializer]
internal sealed class AppSessionState
{
    [Id(0)] public AppSession? Session { get; set; }
}

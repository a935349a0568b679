using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Grains.Diagnostics;
using Teleport.Orleans.Grains.WebSessions;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Grains.Users;

/// <summary>
/// One login from start to end, inside the auth service: the user grain checks the credentials (and audits the
/// attempt), the issuer refuses a locked user and signs (and audits the certificate). A stateless worker, so a
/// login waits on no other login; reentrant, because it only waits on other grains.
/// </summary>
[StatelessWorker]
[Reentrant]
internal sealed class UserLoginGrain(AuthMetrics metrics, TimeProvider time) : Grain, IUserLoginGrain
{
    public async Task<UserLoginResult> Login(UserLoginRequest request, Caller caller)
    {
        metrics.LoginAttempted();
        var result = await GrainFactory.GetGrain<IUserGrain>(request.User).Authenticate(new PasswordLogin
        {
            Password = request.Password,
            OtpCode = request.OtpCode,
            ClientAddress = request.ClientAddress,
        });
        if (!result.Success)
        {
            metrics.LoginFailed();
            return new UserLoginResult { Failure = result.Failure, Message = result.Message, LockedUntil = result.LockedUntil };
        }

        var certificates = await GrainFactory.GetGrain<ICertificateIssuerGrain>(0).IssueUserCertificates(new UserCertificateRequest
        {
            User = request.User,
            SshPublicKey = request.SshPublicKey,
            TlsPublicKey = request.TlsPublicKey,
            Ttl = request.Ttl,
            ClientAddress = request.ClientAddress,
        }, caller with { Name = request.User, Address = request.ClientAddress });
        return new UserLoginResult { Certificates = certificates };
    }

    public async Task<WebLoginResult> LoginWeb(UserLoginRequest request, TimeSpan inactivityTimeout, Caller caller)
    {
        // The certificate signed for a key that is dropped at once only carries the login's facts (expiry, logins):
        // a web terminal gets its own short-lived certificate (IWebSessionGrain.IssueUserCertificates).
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var login = await Login(request with { SshPublicKey = key.PublicKey.ToAuthorizedKeysLine(), TlsPublicKey = [] }, caller);
        if (login.Certificates is not { } certificates)
        {
            return new WebLoginResult { Login = login };
        }

        // The roles and traits the issuer put in the certificate.
        var user = await GrainFactory.GetGrain<IUserGrain>(request.User).Get()
            ?? throw AuthException.NotFound($"user \"{request.User}\" is not found");
        var started = NewWebSession.For(
            user.Name, user.Roles, user.Traits, certificates.Logins, time.GetUtcNow(), certificates.ValidBefore, inactivityTimeout, request.ClientAddress);
        await GrainFactory.GetGrain<IWebSessionGrain>(started.Session.Id).Start(started.Session);
        return new WebLoginResult { Login = new UserLoginResult(), Started = started };
    }
}

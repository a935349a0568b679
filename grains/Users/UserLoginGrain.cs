using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Grains.Diagnostics;

namespace Teleport.Orleans.Grains.Users;

/// <summary>
/// One login from start to end, inside the auth service: the user grain checks the credentials (and audits the
/// attempt), the issuer refuses a locked user and signs (and audits the certificate). A stateless worker, so a
/// login waits on no other login; reentrant, because it only waits on other grains.
/// </summary>
[StatelessWorker]
[Reentrant]
internal sealed class UserLoginGrain(AuthMetrics metrics) : Grain, IUserLoginGrain
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
}

using System.Text;
using Grpc.Core;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Silo.Api;

internal sealed partial class AuthApiService
{
    public override async Task<ExportAuthoritiesResponse> ExportAuthorities(ExportAuthoritiesRequest request, ServerCallContext context)
    {
        // Public halves only: any authenticated caller may have them.
        authorizer.RequireAuthenticated(context);
        var types = request.Type switch
        {
            "" => new[] { CertAuthorityType.User, CertAuthorityType.Host },
            "user" => [CertAuthorityType.User],
            "host" => [CertAuthorityType.Host],
            "tls" or "tls-host" or "tls-user" => [CertAuthorityType.Tls],
            _ => throw AuthException.BadParameter($"unknown CA type \"{request.Type}\": use user, host or tls"),
        };
        var text = new StringBuilder();
        foreach (var type in types)
        {
            var info = await grains.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(type)).GetInfo()
                ?? throw AuthException.NotFound($"the {type} CA does not exist yet");
            var key = string.Join(' ', info.Public.Split(' ').Take(2));
            text.Append(type switch
            {
                // authorized_keys / TrustedUserCAKeys line, as `tctl auth export --type=user` prints it.
                CertAuthorityType.User => $"cert-authority {key} clustername={info.ClusterName}&type=user\n",
                // known_hosts line for OpenSSH clients to trust every host certificate of the cluster.
                CertAuthorityType.Host => $"@cert-authority {info.ClusterName},*.{info.ClusterName} {key} type=host\n",
                _ => info.Public.EndsWith('\n') ? info.Public : info.Public + "\n",
            });
        }

        return new ExportAuthoritiesResponse { Text = text.ToString() };
    }

    public override async Task<Certificates> GenerateUserCerts(GenerateUserCertsRequest request, ServerCallContext context)
    {
        var identity = authorizer.RequireAuthenticated(context);
        // A user may renew their own certificates; certificates for others need the admin identity (tctl auth sign).
        var own = identity.Certificate!.SystemRoles.Length == 0 && string.Equals(identity.Certificate.Name, request.User, StringComparison.Ordinal);
        var caller = own ? identity.ToCaller() : authorizer.AuthorizeSystem(context);
        await EnsureUserNotLocked(request.User);
        var certificates = await grains.GetGrain<ICertificateIssuerGrain>(0).IssueUserCertificates(new UserCertificateRequest
        {
            User = request.User,
            SshPublicKey = request.SshPublicKey,
            TlsPublicKey = request.TlsPublicKey.ToByteArray(),
            Ttl = ProtoMapping.Seconds(request.TtlSeconds),
            ClientAddress = identity.Address,
        }, caller);
        return certificates.ToProto();
    }

    public override async Task<Certificates> AuthenticateSshUser(AuthenticateSshUserRequest request, ServerCallContext context)
    {
        var proxy = authorizer.AuthorizeSystem(context, "Proxy");
        await EnsureUserNotLocked(request.User);
        var result = await grains.GetGrain<IUserLoginGrain>(0).Login(new UserLoginRequest
        {
            User = request.User,
            Password = request.Password,
            OtpCode = request.OtpCode,
            SshPublicKey = request.SshPublicKey,
            TlsPublicKey = request.TlsPublicKey.ToByteArray(),
            Ttl = ProtoMapping.Seconds(request.TtlSeconds),
            ClientAddress = request.ClientAddress,
        }, new Caller { Name = request.User, Address = request.ClientAddress, Roles = proxy.Roles });
        var certificates = result.Certificates ?? throw result.ToException();
        return certificates.ToProto();
    }
}

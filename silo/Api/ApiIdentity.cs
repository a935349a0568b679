using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Teleport.Orleans.Access.Identity;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Grains.Certificates;

namespace Teleport.Orleans.Silo.Api;

/// <summary>Who is calling the auth API, read from the client certificate that TLS already verified.</summary>
internal sealed record ApiIdentity(X509Identity? Certificate, string Address)
{
    public bool IsAuthenticated => Certificate is not null;

    public bool HasSystemRole(string role) =>
        Certificate?.SystemRoles.Contains(role, StringComparer.OrdinalIgnoreCase) == true;

    public bool IsAdmin => HasSystemRole("Admin");

    public Caller ToCaller() => new()
    {
        Name = Certificate?.Name ?? "anonymous",
        Roles = Certificate is null ? [] : Certificate.SystemRoles.Length > 0 ? Certificate.SystemRoles : Certificate.Roles,
        Address = Address,
    };

    public static ApiIdentity From(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var address = http.Connection.RemoteIpAddress is { } ip ? $"{ip}:{http.Connection.RemotePort}" : "";
        var certificate = http.Connection.ClientCertificate;
        return new ApiIdentity(certificate is null ? null : X509Identity.FromSubject(certificate.SubjectName), address);
    }
}

using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.Tokens;

/// <summary>
/// A host joining with a token, whichever door it comes through (the auth API's RegisterUsingToken or the proxy's
/// /v1/webapi/host/credentials): the token is spent before anything is signed, then the host's certificates are
/// issued for the role the token grants.
/// </summary>
public static class HostRegistration
{
    public static async Task<Contracts.Api.Certificates> RegisterAsync(this IGrainFactory grains, RegisterUsingTokenRequest request, Caller caller)
    {
        var token = await grains.GetGrain<IJoinTokenGrain>(request.Token).Consume(request.Role, request.HostId, caller);
        // The token's own spelling of the role ("node" or "Node") is what goes into the certificates.
        var role = token.Roles.First(r => string.Equals(r, request.Role, StringComparison.OrdinalIgnoreCase));
        var issued = await grains.GetGrain<ICertificateIssuerGrain>(0).IssueHostCertificates(new HostCertificateRequest
        {
            HostId = request.HostId,
            NodeName = request.NodeName,
            Role = role,
            SshPublicKey = request.SshPublicKey,
            TlsPublicKey = request.TlsPublicKey.ToByteArray(),
            AdditionalPrincipals = [.. request.AdditionalPrincipals],
            DnsNames = [.. request.DnsNames],
        }, caller);
        return issued.ToCertificates();
    }

    /// <summary>The auth API's Certificates message for issued host certificates.</summary>
    public static Contracts.Api.Certificates ToCertificates(this HostCertificates certificates) => new()
    {
        SshCertificate = certificates.SshCertificate,
        TlsCertificate = certificates.TlsCertificatePem,
        TlsCa = certificates.TlsCaPem,
        HostCa = certificates.HostCaPublicKey,
        UserCa = certificates.UserCaPublicKey,
        ClusterName = certificates.ClusterName,
    };
}

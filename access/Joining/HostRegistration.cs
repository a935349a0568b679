using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Access.Joining;

/// <summary>
/// A host joining with a token, whichever door it comes through (the auth API's RegisterUsingToken or the proxy's
/// /v1/webapi/host/credentials): one call to <see cref="IHostJoinGrain"/>, mapped from and to the auth API's messages.
/// </summary>
public static class HostRegistration
{
    public static async Task<Contracts.Api.Certificates> RegisterAsync(this IGrainFactory grains, RegisterUsingTokenRequest request, Caller caller)
    {
        var issued = await grains.GetGrain<IHostJoinGrain>(0).Join(new HostJoinRequest
        {
            Token = request.Token,
            Role = request.Role,
            HostId = request.HostId,
            NodeName = request.NodeName,
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

using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Teleport.Orleans.Access.Identity;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// The user behind a web API call: the X.509 certificate tsh got at login, presented as a TLS client certificate
/// and checked here against the cluster's TLS CA (the web port asks for one but lets browsers in without).
/// </summary>
internal static class ClientIdentity
{
    public static async Task<X509Identity> Require(HttpContext context, IGrainFactory grains)
    {
        var certificate = context.Connection.ClientCertificate
            ?? throw AuthException.AccessDenied("this call needs the TLS client certificate from tsh login");
        var ca = await grains.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(CertAuthorityType.Tls)).GetInfo()
            ?? throw AuthException.NotFound("the cluster's TLS CA does not exist yet");
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(ca.Public);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(certificate))
        {
            throw AuthException.AccessDenied("the client certificate is not from this cluster's TLS CA or has expired");
        }

        var identity = X509Identity.FromSubject(certificate.SubjectName);
        if (identity.SystemRoles.Length > 0)
        {
            throw AuthException.AccessDenied("host certificates cannot call the web API as a user");
        }

        return identity;
    }

    public static Dictionary<string, string[]> Traits(X509Identity identity)
    {
        if (identity.Traits.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string[]>>(identity.Traits) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

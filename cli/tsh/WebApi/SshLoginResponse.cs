using System.Text;
using System.Text.Json;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Cli.Tsh.WebApi;

/// <summary>
/// The answer of <c>POST /v1/webapi/ssh/certs</c> (Teleport's SSHLoginResponse): the SSH certificate, the X.509
/// certificate, and the host CAs (<c>host_signers</c>) whose keys verify the cluster's hosts.
/// </summary>
internal sealed record SshLoginResponse(string SshCertificate, string TlsCertificate, IReadOnlyList<SshPublicKey> HostCaKeys, IReadOnlyList<string> TlsCas)
{
    public static SshLoginResponse Parse(JsonElement root)
    {
        var cert = Decode(root.Text("cert") ?? throw new TshException("The proxy's login answer has no certificate."));
        var tls = Decode(root.Text("tls_cert") ?? "");
        var hostKeys = new List<SshPublicKey>();
        var tlsCas = new List<string>();
        foreach (var signer in root.Items("host_signers"))
        {
            // Our gateway sends checking_keys; Teleport's CA resource nests the keys under spec.active_keys.ssh[].public_key.
            var lines = signer.Strings("checking_keys").Concat(signer.Strings("public_keys"))
                .Concat(signer.Field("spec")?.Field("active_keys")?.Items("ssh").Select(k => k.Text("public_key") ?? "") ?? []);
            hostKeys.AddRange(lines.Where(l => l.Length > 0).Select(l => SshPublicKey.Parse(Decode(l).Trim())));
            tlsCas.AddRange(signer.Strings("tls_certs").Select(Decode));
        }

        if (hostKeys.Count == 0)
        {
            throw new TshException("The proxy's login answer names no host CA: tsh cannot verify the cluster's hosts.");
        }

        return new SshLoginResponse(cert.Trim(), tls, hostKeys, tlsCas);
    }

    /// <summary>Teleport's Go server sends byte fields base64-encoded; ours sends the text itself. Both are accepted.</summary>
    private static string Decode(string value)
    {
        if (value.Length == 0 || value.Contains(' ', StringComparison.Ordinal) || value.StartsWith("-----", StringComparison.Ordinal))
        {
            return value;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            return value;
        }
    }
}

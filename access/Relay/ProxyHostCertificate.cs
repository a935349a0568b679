using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Access.Relay;

/// <summary>
/// What a node checks of a proxy's SSH host certificate, whether the proxy answers its reverse tunnel or vouches for
/// a client it relays: issued by the cluster's host CA, valid now, for role Proxy.
/// </summary>
public static class ProxyHostCertificate
{
    /// <summary>Null when <paramref name="certificate"/> is a valid proxy certificate; otherwise why not, in one phrase.</summary>
    public static string? Refusal(SshCertificate certificate, SshCertificateValidator validator)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(validator);
        if (!certificate.Extensions.TryGetValue("x-teleport-role", out var role) || role != "Proxy")
        {
            return $"the proxy's certificate is for role \"{role}\", not Proxy";
        }

        var result = validator.ValidateHost(certificate, certificate.Principals.Count > 0 ? certificate.Principals[0] : "");
        return result.IsValid ? null : $"the proxy's certificate is not valid: {result}";
    }

    /// <summary>The host CA key from its authorized_keys form, which may carry options ("@cert-authority *") in front.</summary>
    public static SshPublicKey HostCaKey(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = Array.FindIndex(parts, p => p.StartsWith("ssh-", StringComparison.Ordinal) || p.StartsWith("ecdsa-", StringComparison.Ordinal));
        return SshPublicKey.Parse(start >= 0 && start + 1 < parts.Length ? $"{parts[start]} {parts[start + 1]}" : line);
    }
}

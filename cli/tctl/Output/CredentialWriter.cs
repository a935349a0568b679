using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Output;

/// <summary>Writes signed credentials as tctl auth sign's formats: an identity file, or OpenSSH key + certificate.</summary>
internal static class CredentialWriter
{
    public static void Write(string format, string path, string privateKeyPem, Certificates certificates)
    {
        if (format == "openssh")
        {
            if (certificates.SshCertificate.Trim().Length == 0)
            {
                throw new TctlException("the auth service returned no SSH certificate");
            }

            SecretFile.Write(path, privateKeyPem);
            File.WriteAllText(path + "-cert.pub", certificates.SshCertificate.Trim() + "\n");
            return;
        }

        var identity = ToIdentityFile(privateKeyPem, certificates);
        identity.Save(path);
    }

    public static IdentityFile ToIdentityFile(string privateKeyPem, Certificates certificates)
    {
        if (certificates.TlsCertificate.Trim().Length == 0)
        {
            throw new TctlException("the auth service returned no X.509 certificate, so no identity file can be written");
        }

        var identity = new IdentityFile
        {
            PrivateKeyPem = privateKeyPem,
            SshCertificate = certificates.SshCertificate.Trim(),
            TlsCertificatePem = certificates.TlsCertificate,
            TlsCaCertificatesPem = [certificates.TlsCa],
            KnownHostsLines = KnownHosts(certificates.HostCa, certificates.ClusterName),
        };

        // Read back what we would write, so a reply missing a part fails here and not at the next tctl run.
        try
        {
            return IdentityFile.Parse(identity.Format());
        }
        catch (FormatException e)
        {
            throw new TctlException($"the auth service's certificates do not make a usable identity file: {e.Message}");
        }
    }

    /// <summary>Host CA keys as known_hosts lines; bare authorized-keys lines get the "@cert-authority *.CLUSTER" prefix.</summary>
    private static List<string> KnownHosts(string hostCa, string clusterName)
    {
        var lines = new List<string>();
        foreach (var raw in hostCa.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            lines.Add(line.StartsWith("@cert-authority", StringComparison.Ordinal) || clusterName.Length == 0
                ? line
                : $"@cert-authority *.{clusterName} {line}");
        }

        return lines.Where(l => l.StartsWith("@cert-authority", StringComparison.Ordinal)).ToList();
    }
}

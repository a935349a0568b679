using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Teleport.Orleans.AuthClient;

/// <summary>
/// A Teleport-style identity file: one text file that holds everything a client needs to reach the cluster.
/// In order: the private key PEM (PKCS#8), an optional OpenSSH certificate line, the X.509 identity certificate PEM,
/// the X.509 CA certificate PEM(s), then optional <c>@cert-authority</c> known_hosts lines.
/// </summary>
public sealed class IdentityFile
{
    private const string SshCertSuffix = "-cert-v01@openssh.com";
    private static readonly string[] KeyLabels = ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"];

    public required string PrivateKeyPem { get; init; }
    public string SshCertificate { get; init; } = "";
    public required string TlsCertificatePem { get; init; }
    public required IReadOnlyList<string> TlsCaCertificatesPem { get; init; }
    public IReadOnlyList<string> KnownHostsLines { get; init; } = [];

    /// <summary>Parses identity file text; throws <see cref="FormatException"/> naming the part that is missing or malformed.</summary>
    public static IdentityFile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? key = null;
        var sshCert = "";
        var certificates = new List<string>();
        var knownHosts = new List<string>();

        var lines = PemBlock.SplitLines(text);
        for (var i = 0; i < lines.Length;)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                i++;
                continue;
            }

            if (PemBlock.IsBeginLine(line))
            {
                var block = PemBlock.ReadAt(lines, ref i);
                if (KeyLabels.Contains(block.Label))
                {
                    key = key is null
                        ? block.Text
                        : throw new FormatException("identity file holds more than one private key");
                }
                else if (block.Label == "CERTIFICATE")
                {
                    certificates.Add(block.Text);
                }
                else
                {
                    throw new FormatException($"identity file holds an unexpected PEM block \"{block.Label}\"");
                }

                continue;
            }

            if (IsSshCertificateLine(line))
            {
                sshCert = sshCert.Length == 0
                    ? line
                    : throw new FormatException("identity file holds more than one OpenSSH certificate");
            }
            else if (line.StartsWith("@cert-authority", StringComparison.Ordinal))
            {
                knownHosts.Add(line);
            }
            else
            {
                throw new FormatException($"identity file line {i + 1} is neither PEM, an OpenSSH certificate nor a known_hosts line");
            }

            i++;
        }

        if (key is null)
        {
            throw new FormatException("identity file has no private key (expected a \"-----BEGIN PRIVATE KEY-----\" block)");
        }

        if (certificates.Count == 0)
        {
            throw new FormatException("identity file has no X.509 identity certificate (expected a \"-----BEGIN CERTIFICATE-----\" block after the key)");
        }

        if (certificates.Count == 1)
        {
            throw new FormatException("identity file has no X.509 CA certificate (expected a second \"-----BEGIN CERTIFICATE-----\" block after the identity certificate)");
        }

        return new IdentityFile
        {
            PrivateKeyPem = key,
            SshCertificate = sshCert,
            TlsCertificatePem = certificates[0],
            TlsCaCertificatesPem = certificates[1..],
            KnownHostsLines = knownHosts,
        };
    }

    public static IdentityFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"identity file {path} does not exist", path);
        }

        try
        {
            return Parse(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    public string Format()
    {
        var text = new StringBuilder();
        text.Append(PemBlock.Normalize(PrivateKeyPem));
        if (SshCertificate.Trim().Length > 0)
        {
            text.Append(SshCertificate.Trim()).Append('\n');
        }

        text.Append(PemBlock.Normalize(TlsCertificatePem));
        foreach (var ca in TlsCaCertificatesPem)
        {
            text.Append(PemBlock.Normalize(ca));
        }

        foreach (var line in KnownHostsLines)
        {
            if (line.Trim().Length > 0)
            {
                text.Append(line.Trim()).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Writes the file readable by its owner only (0600): it holds a private key.</summary>
    public void Save(string path) => SecretFile.Write(path, Format());

    /// <summary>The identity certificate with its private key attached, ready for TLS client authentication.</summary>
    public X509Certificate2 ClientCertificate()
    {
        using var withKey = X509Certificate2.CreateFromPem(TlsCertificatePem, PrivateKeyPem);
        // Round-trip through PKCS#12 so the key is not ephemeral: Windows' TLS stack cannot use ephemeral keys,
        // and on Linux it costs nothing noticeable.
        var pfx = withKey.Export(X509ContentType.Pkcs12);
        try
        {
            return X509CertificateLoader.LoadPkcs12(pfx, password: null, X509KeyStorageFlags.Exportable);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pfx);
        }
    }

    /// <summary>The X.509 CA certificates that roots of trust for the auth server are checked against.</summary>
    public X509Certificate2Collection CaCertificates()
    {
        var collection = new X509Certificate2Collection();
        foreach (var pem in TlsCaCertificatesPem)
        {
            foreach (var block in PemBlock.ReadAll(pem).Where(b => b.Label == "CERTIFICATE"))
            {
                collection.Add(X509Certificate2.CreateFromPem(block.Text));
            }
        }

        return collection;
    }

    private static bool IsSshCertificateLine(string line)
    {
        var space = line.IndexOf(' ');
        var type = space < 0 ? line : line[..space];
        return type.EndsWith(SshCertSuffix, StringComparison.Ordinal);
    }
}

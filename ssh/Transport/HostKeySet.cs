using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>
/// The server's host keys and host certificates as negotiable host key algorithms. RSA keys are offered
/// only with SHA-2 signatures (RFC 8332); OpenSSH ≥ 8.8 refuses SHA-1 <c>ssh-rsa</c> anyway.
/// </summary>
internal sealed class HostKeySet
{
    private readonly List<Entry> _entries = [];

    public HostKeySet(IEnumerable<SshPrivateKey> keys, IEnumerable<SshCertificate> certificates)
    {
        var keyList = keys.ToList();
        var certificateList = certificates.ToList();
        foreach (var certificate in certificateList)
        {
            if (certificate.Type != SshCertificateType.Host)
            {
                throw new ArgumentException($"Certificate '{certificate.KeyId}' is a user certificate, not a host certificate.", nameof(certificates));
            }

            if (!keyList.Any(k => k.PublicKey.Equals(certificate.PublicKey)))
            {
                throw new ArgumentException($"Host certificate '{certificate.KeyId}' certifies a key that is not among the host keys.", nameof(certificates));
            }
        }

        // Certificates first: clients that trust a host CA prefer them, others fall back to plain keys.
        foreach (var key in keyList)
        {
            foreach (var certificate in certificateList.Where(c => c.PublicKey.Equals(key.PublicKey)))
            {
                foreach (var signature in SignatureAlgorithms(key))
                {
                    var name = signature is SshAlgorithmNames.RsaSha256 or SshAlgorithmNames.RsaSha512
                        ? signature + CertificateAlgorithms.Suffix
                        : certificate.Algorithm;
                    Add(new Entry(name, certificate.Blob, key, signature));
                }
            }
        }

        foreach (var key in keyList)
        {
            foreach (var signature in SignatureAlgorithms(key))
            {
                Add(new Entry(signature, key.PublicKey.Blob, key, signature));
            }
        }

        if (_entries.Count == 0)
        {
            throw new ArgumentException("At least one host key is required.", nameof(keys));
        }
    }

    /// <summary>Host key algorithm names in the server's order of preference.</summary>
    public IReadOnlyList<string> Algorithms => _entries.Select(e => e.Algorithm).ToList();

    /// <summary>The K_S blob to send, the key to sign with and the signature algorithm for a negotiated host key algorithm.</summary>
    public (byte[] Blob, SshPrivateKey Key, string SignatureAlgorithm) Get(string algorithm)
    {
        var entry = _entries.First(e => e.Algorithm == algorithm);
        return (entry.Blob, entry.Key, entry.SignatureAlgorithm);
    }

    private static string[] SignatureAlgorithms(SshPrivateKey key) =>
        key.PublicKey.Algorithm == SshAlgorithmNames.Rsa
            ? [SshAlgorithmNames.RsaSha512, SshAlgorithmNames.RsaSha256]
            : [key.PublicKey.Algorithm];

    private void Add(Entry entry)
    {
        // Two keys of the same type: the first one serves that algorithm.
        if (!_entries.Any(e => e.Algorithm == entry.Algorithm))
        {
            _entries.Add(entry);
        }
    }

    private sealed record Entry(string Algorithm, byte[] Blob, SshPrivateKey Key, string SignatureAlgorithm);
}

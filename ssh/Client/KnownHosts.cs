using System.Security.Cryptography;
using System.Text;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// The entries of an OpenSSH known_hosts file (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): plain host keys,
/// <c>@cert-authority</c> host CAs and <c>@revoked</c> keys, for host patterns with <c>*</c>/<c>?</c> wildcards,
/// <c>!</c> negation, <c>[host]:port</c> for other ports, and hashed names (<c>|1|salt|HMAC-SHA1</c>).
/// </summary>
internal sealed class KnownHosts
{
    private readonly List<Entry> _entries;

    private KnownHosts(List<Entry> entries)
    {
        _entries = entries;
    }

    private enum Marker
    {
        None,
        CertificateAuthority,
        Revoked,
    }

    /// <summary>Parses the file's text; a malformed line is a <see cref="FormatException"/> naming its line number.</summary>
    public static KnownHosts Parse(string text)
    {
        var entries = new List<Entry>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            try
            {
                entries.Add(ParseLine(line));
            }
            catch (FormatException ex)
            {
                throw new FormatException($"known_hosts line {i + 1}: {ex.Message}", ex);
            }
        }

        return new KnownHosts(entries);
    }

    /// <summary>Decides trust in <paramref name="hostKey"/> of the server dialled at its host name and <paramref name="port"/>.</summary>
    public SshHostKeyVerification Verify(SshServerHostKey hostKey, int port, TimeSpan clockSkew, TimeProvider timeProvider)
    {
        var name = port == 22 ? hostKey.HostName.ToLowerInvariant() : $"[{hostKey.HostName.ToLowerInvariant()}]:{port}";
        var matching = _entries.Where(e => e.Matches(name)).ToList();
        var certificate = hostKey.Certificate;
        var revoked = matching.Where(e => e.Marker == Marker.Revoked).Select(e => e.Key).ToHashSet();
        if (revoked.Contains(hostKey.PublicKey) || (certificate is not null && revoked.Contains(certificate.SignatureKey)))
        {
            return SshHostKeyVerification.Refuse($"The host key {hostKey.PublicKey} of '{name}' (or its CA) is marked @revoked in known_hosts.");
        }

        if (certificate is not null)
        {
            var cas = matching.Where(e => e.Marker == Marker.CertificateAuthority).Select(e => e.Key).ToList();
            if (cas.Count > 0)
            {
                var result = new SshCertificateValidator(cas, clockSkew, timeProvider).ValidateHost(certificate, hostKey.HostName);
                if (result.IsValid)
                {
                    return SshHostKeyVerification.Trust();
                }

                // As OpenSSH: a refused certificate may still be trusted through a plain key line for the host.
                if (!matching.Any(e => e.Marker == Marker.None && e.Key.Equals(hostKey.PublicKey)))
                {
                    return SshHostKeyVerification.Refuse($"The host certificate of '{name}' is refused: {result.Reason}");
                }
            }
        }

        return matching.Any(e => e.Marker == Marker.None && e.Key.Equals(hostKey.PublicKey))
            ? SshHostKeyVerification.Trust()
            : SshHostKeyVerification.Refuse($"No known_hosts entry for '{name}' trusts {hostKey}.");
    }

    private static Entry ParseLine(string line)
    {
        var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var marker = Marker.None;
        var next = 0;
        if (fields[0].StartsWith('@'))
        {
            marker = fields[0] switch
            {
                "@cert-authority" => Marker.CertificateAuthority,
                "@revoked" => Marker.Revoked,
                _ => throw new FormatException($"unknown marker '{fields[0]}'."),
            };
            next = 1;
        }

        if (fields.Length < next + 3)
        {
            throw new FormatException("expected host patterns, a key type and a base64 key.");
        }

        var key = SshPublicKey.Parse($"{fields[next + 1]} {fields[next + 2]}");
        return new Entry(marker, HostPattern.Parse(fields[next]), key);
    }

    private sealed record Entry(Marker Marker, HostPattern Hosts, SshPublicKey Key)
    {
        public bool Matches(string name) => Hosts.Matches(name);
    }

    /// <summary>A comma-separated pattern list, or one hashed name.</summary>
    private sealed class HostPattern
    {
        private readonly string[] _patterns;
        private readonly (byte[] Salt, byte[] Hash)? _hashed;

        private HostPattern(string[] patterns, (byte[] Salt, byte[] Hash)? hashed)
        {
            _patterns = patterns;
            _hashed = hashed;
        }

        public static HostPattern Parse(string field)
        {
            if (!field.StartsWith("|1|", StringComparison.Ordinal))
            {
                return new HostPattern(field.ToLowerInvariant().Split(',', StringSplitOptions.RemoveEmptyEntries), null);
            }

            var parts = field.Split('|');
            if (parts.Length != 4)
            {
                throw new FormatException("a hashed host name must be |1|salt|hash.");
            }

            var salt = Convert.FromBase64String(parts[2]);
            var hash = Convert.FromBase64String(parts[3]);
            if (salt.Length != 20 || hash.Length != 20)
            {
                throw new FormatException("a hashed host name needs a 20-byte salt and a 20-byte HMAC-SHA1.");
            }

            return new HostPattern([], (salt, hash));
        }

        public bool Matches(string name)
        {
            if (_hashed is { } hashed)
            {
                return CryptographicOperations.FixedTimeEquals(HMACSHA1.HashData(hashed.Salt, Encoding.UTF8.GetBytes(name)), hashed.Hash);
            }

            // A negated pattern that matches excludes the host whatever else matches (OpenSSH match_pattern_list).
            var matched = false;
            foreach (var pattern in _patterns)
            {
                var negated = pattern.StartsWith('!');
                if (Wildcard(name, negated ? pattern[1..] : pattern))
                {
                    if (negated)
                    {
                        return false;
                    }

                    matched = true;
                }
            }

            return matched;
        }

        private static bool Wildcard(ReadOnlySpan<char> text, ReadOnlySpan<char> pattern)
        {
            while (!pattern.IsEmpty)
            {
                if (pattern[0] == '*')
                {
                    pattern = pattern[1..];
                    for (var i = 0; i <= text.Length; i++)
                    {
                        if (Wildcard(text[i..], pattern))
                        {
                            return true;
                        }
                    }

                    return false;
                }

                if (text.IsEmpty || (pattern[0] != '?' && pattern[0] != text[0]))
                {
                    return false;
                }

                text = text[1..];
                pattern = pattern[1..];
            }

            return text.IsEmpty;
        }
    }
}

using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>Ready-made <see cref="SshHostKeyVerifier"/> policies.</summary>
public static class SshHostKeyVerifiers
{
    /// <summary>
    /// Trusts only the given keys (known_hosts with plain keys). A host certificate is accepted when it certifies a
    /// pinned key: the server proved it holds that key, and the certificate adds nothing that is needed.
    /// </summary>
    public static SshHostKeyVerifier Pinned(params IEnumerable<SshPublicKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var pinned = keys.ToHashSet();
        if (pinned.Count == 0)
        {
            throw new ArgumentException("At least one host key is required.", nameof(keys));
        }

        return (hostKey, _) => ValueTask.FromResult(pinned.Contains(hostKey.PublicKey)
            ? SshHostKeyVerification.Trust()
            : SshHostKeyVerification.Refuse($"The host key {hostKey.PublicKey} of '{hostKey.HostName}' is not the expected key."));
    }

    /// <summary>
    /// Trusts host certificates signed by one of the CAs (known_hosts <c>@cert-authority</c>): the certificate must
    /// be a host certificate from a trusted CA, valid now, with the dialled host name among its principals.
    /// A plain host key is refused.
    /// </summary>
    public static SshHostKeyVerifier CertificateAuthority(IEnumerable<SshPublicKey> caKeys, TimeSpan clockSkew = default, TimeProvider? timeProvider = null)
    {
        var validator = new SshCertificateValidator(caKeys, clockSkew, timeProvider);
        return (hostKey, _) =>
        {
            if (hostKey.Certificate is not { } certificate)
            {
                return ValueTask.FromResult(SshHostKeyVerification.Refuse(
                    $"'{hostKey.HostName}' presented a plain host key ({hostKey.PublicKey}), not a certificate from a trusted host CA."));
            }

            var result = validator.ValidateHost(certificate, hostKey.HostName);
            return ValueTask.FromResult(result.IsValid
                ? SshHostKeyVerification.Trust()
                : SshHostKeyVerification.Refuse($"The host certificate of '{hostKey.HostName}' is refused: {result.Reason}"));
        };
    }

    /// <summary>
    /// Trusts what an OpenSSH known_hosts file trusts for the host name dialled and <paramref name="port"/>: plain keys,
    /// <c>@cert-authority</c> CAs (a valid host certificate naming the host), never <c>@revoked</c> keys or CAs.
    /// Patterns, negation, <c>[host]:port</c> and hashed names work as in OpenSSH. A malformed file is a <see cref="FormatException"/>.
    /// </summary>
    public static SshHostKeyVerifier KnownHosts(string knownHostsText, int port = 22, TimeSpan clockSkew = default, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(knownHostsText);
        var knownHosts = Client.KnownHosts.Parse(knownHostsText);
        var clock = timeProvider ?? TimeProvider.System;
        return (hostKey, _) => ValueTask.FromResult(knownHosts.Verify(hostKey, port, clockSkew, clock));
    }

    /// <summary>Trusts a key that any of the verifiers trusts, in order (a CA plus pinned keys, like one known_hosts file).</summary>
    public static SshHostKeyVerifier Any(params IEnumerable<SshHostKeyVerifier> verifiers)
    {
        var list = verifiers.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("At least one verifier is required.", nameof(verifiers));
        }

        return async (hostKey, cancellationToken) =>
        {
            var reasons = new List<string>();
            foreach (var verifier in list)
            {
                var result = await verifier(hostKey, cancellationToken).ConfigureAwait(false);
                if (result.IsTrusted)
                {
                    return result;
                }

                reasons.Add(result.Reason!);
            }

            return SshHostKeyVerification.Refuse(string.Join(" ", reasons));
        };
    }

    /// <summary>Trusts every host key. Insecure (anyone in the path can impersonate the server): for tests only.</summary>
    public static SshHostKeyVerifier AcceptAny() => (_, _) => ValueTask.FromResult(SshHostKeyVerification.Trust());
}

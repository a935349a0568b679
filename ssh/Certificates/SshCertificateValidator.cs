using System.Net;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Certificates;

/// <summary>
/// Decides whether a certificate may authenticate a user (or a host) the way sshd does:
/// type, trusted CA, CA signature, validity window, principal, then critical options.
/// Stricter than OpenSSH in two places: an empty principal list never matches, and
/// unknown critical options (including verify-required) are refused.
/// </summary>
public sealed class SshCertificateValidator
{
    private readonly HashSet<SshPublicKey> _trustedCas;
    private readonly TimeSpan _clockSkew;
    private readonly TimeProvider _timeProvider;

    /// <param name="trustedCaKeys">CA public keys whose signatures are trusted.</param>
    /// <param name="clockSkew">Tolerance applied at both ends of the validity window.</param>
    /// <param name="timeProvider">Clock; the system clock when null.</param>
    public SshCertificateValidator(IEnumerable<SshPublicKey> trustedCaKeys, TimeSpan clockSkew = default, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(trustedCaKeys);
        ArgumentOutOfRangeException.ThrowIfLessThan(clockSkew, TimeSpan.Zero);
        _trustedCas = [.. trustedCaKeys];
        _clockSkew = clockSkew;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Validates a user certificate for logging in as <paramref name="principal"/> from <paramref name="clientAddress"/>.</summary>
    public SshCertificateValidationResult ValidateUser(SshCertificate certificate, string principal, IPAddress? clientAddress) =>
        Validate(certificate, SshCertificateType.User, principal, clientAddress);

    /// <summary>Validates a host certificate presented by <paramref name="hostName"/> (case-insensitive match).</summary>
    public SshCertificateValidationResult ValidateHost(SshCertificate certificate, string hostName) =>
        Validate(certificate, SshCertificateType.Host, hostName, clientAddress: null);

    public SshCertificateValidationResult Validate(
        SshCertificate certificate, SshCertificateType expectedType, string principal, IPAddress? clientAddress)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(principal);

        if (certificate.Type != expectedType)
        {
            return Refuse(SshCertificateRejection.WrongType, $"Certificate is a {Describe(certificate.Type)} certificate, expected a {Describe(expectedType)} certificate.");
        }

        if (!_trustedCas.Contains(certificate.SignatureKey))
        {
            return Refuse(SshCertificateRejection.UntrustedCa, $"Certificate is signed by an untrusted CA ({certificate.SignatureKey}).");
        }

        if (!certificate.VerifySignature())
        {
            return Refuse(SshCertificateRejection.InvalidSignature, $"Certificate CA signature ({certificate.SignatureAlgorithm}) is invalid or uses a refused algorithm.");
        }

        if (CheckValidity(certificate) is { } validity)
        {
            return validity;
        }

        if (certificate.Principals.Count == 0)
        {
            return Refuse(SshCertificateRejection.NoPrincipals, "Certificate lacks a principal list.");
        }

        var comparison = expectedType == SshCertificateType.Host ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (!certificate.Principals.Any(p => string.Equals(p, principal, comparison)))
        {
            return Refuse(SshCertificateRejection.PrincipalNotAllowed, $"Principal '{principal}' is not listed in the certificate.");
        }

        return CheckCriticalOptions(certificate, clientAddress);
    }

    private SshCertificateValidationResult? CheckValidity(SshCertificate certificate)
    {
        var now = _timeProvider.GetUtcNow();
        var nowSeconds = now < DateTimeOffset.UnixEpoch ? 0UL : (ulong)now.ToUnixTimeSeconds();
        var skew = (ulong)_clockSkew.TotalSeconds;
        if (SaturatingAdd(nowSeconds, skew) < certificate.ValidAfterSeconds)
        {
            return Refuse(SshCertificateRejection.NotYetValid, $"Certificate is not valid until {certificate.ValidAfter:O}.");
        }

        if (nowSeconds >= SaturatingAdd(certificate.ValidBeforeSeconds, skew))
        {
            return Refuse(SshCertificateRejection.Expired, $"Certificate expired at {certificate.ValidBefore:O}.");
        }

        return null;
    }

    private static SshCertificateValidationResult CheckCriticalOptions(SshCertificate certificate, IPAddress? clientAddress)
    {
        string? forceCommand = null;
        foreach (var (name, value) in certificate.CriticalOptions)
        {
            // No critical options are defined for host certificates.
            if (certificate.Type == SshCertificateType.Host)
            {
                return Refuse(SshCertificateRejection.UnsupportedCriticalOption, $"Host certificate carries critical option '{name}'.");
            }

            switch (name)
            {
                case SshCertificateOptionNames.ForceCommand:
                    forceCommand = value;
                    break;
                case SshCertificateOptionNames.SourceAddress:
                    if (CheckSourceAddress(value, clientAddress) is { } refused)
                    {
                        return refused;
                    }

                    break;
                default:
                    return Refuse(SshCertificateRejection.UnsupportedCriticalOption, $"Certificate has unsupported critical option '{name}'.");
            }
        }

        return SshCertificateValidationResult.Accept(forceCommand);
    }

    private static SshCertificateValidationResult? CheckSourceAddress(string list, IPAddress? clientAddress)
    {
        if (clientAddress is null)
        {
            return Refuse(SshCertificateRejection.SourceAddressMismatch, "Certificate restricts source-address but the client address is unknown.");
        }

        return SourceAddressList.Matches(list, clientAddress) switch
        {
            true => null,
            false => Refuse(SshCertificateRejection.SourceAddressMismatch, $"Client address {clientAddress} is not in the certificate's source-address '{list}'."),
            null => Refuse(SshCertificateRejection.InvalidCriticalOption, $"Certificate source-address '{list}' is malformed."),
        };
    }

    private static SshCertificateValidationResult Refuse(SshCertificateRejection rejection, string reason) =>
        SshCertificateValidationResult.Refuse(rejection, reason);

    private static string Describe(SshCertificateType type) => type == SshCertificateType.User ? "user" : "host";

    private static ulong SaturatingAdd(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;
}

using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>Validation of <see cref="SshClientOptions"/>.</summary>
public sealed partial class SshClient
{
    private static ClientSettings Settings(SshClientOptions options, string? hostName)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.UserName, nameof(options.UserName));
        hostName ??= options.HostName;
        if (hostName.Length == 0)
        {
            throw new ArgumentException("The host name dialled is required (SshClientOptions.HostName).", nameof(options));
        }

        var verifier = options.HostKeyVerifier ?? throw new ArgumentException("A host key verifier is required (see SshHostKeyVerifiers).", nameof(options));
        if (options.Certificate is { } certificate)
        {
            if (options.PrivateKey is not { } key || !certificate.PublicKey.Equals(key.PublicKey))
            {
                throw new ArgumentException($"The certificate {certificate} needs the private key of {certificate.PublicKey}.", nameof(options));
            }

            if (certificate.Type != Certificates.SshCertificateType.User)
            {
                throw new ArgumentException($"The certificate {certificate} is not a user certificate.", nameof(options));
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ConnectTimeout, TimeSpan.Zero, nameof(options.ConnectTimeout));
        if (options.KeepAliveInterval != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.KeepAliveInterval, TimeSpan.Zero, nameof(options.KeepAliveInterval));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.KeepAliveCountMax, 1, nameof(options.KeepAliveCountMax));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RekeyBytes, 64 * 1024, nameof(options.RekeyBytes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RekeyInterval, TimeSpan.Zero, nameof(options.RekeyInterval));
        VersionExchange.Parse(System.Text.Encoding.ASCII.GetBytes(options.ClientVersion));

        return new ClientSettings
        {
            ClientVersion = options.ClientVersion,
            HostName = hostName,
            HostKeyAlgorithms = TransportSettings.Validate(options.HostKeyAlgorithms, SshClientOptions.SupportedHostKeyAlgorithms, "host key algorithm"),
            Transport = new TransportSettings
            {
                KeyExchangeAlgorithms = TransportSettings.Validate(options.KeyExchangeAlgorithms, SshClientOptions.SupportedKeyExchangeAlgorithms, "key exchange algorithm"),
                Ciphers = TransportSettings.Validate(options.Ciphers, SshClientOptions.SupportedCiphers, "cipher"),
                Macs = TransportSettings.Validate(options.MacAlgorithms, SshClientOptions.SupportedMacAlgorithms, "MAC"),
                RekeyBytes = options.RekeyBytes,
                RekeyInterval = options.RekeyInterval,
                TimeProvider = options.TimeProvider,
            },
            VerifyHostKey = async (hostKey, cancellationToken) =>
            {
                var verdict = await verifier(hostKey, cancellationToken).ConfigureAwait(false);
                if (!verdict.IsTrusted)
                {
                    throw new SshHostKeyRejectedException(hostKey, verdict.Reason ?? "refused");
                }
            },
        };
    }
}

using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>Configuration of one <see cref="SshClient"/> connection; read once by <see cref="SshClient.ConnectAsync"/>.</summary>
public sealed class SshClientOptions
{
    /// <summary>Key exchange methods this library implements, in the default order of preference.</summary>
    public static IReadOnlyList<string> SupportedKeyExchangeAlgorithms { get; } = [.. KeyExchangeAlgorithm.All.Select(k => k.Name)];

    /// <summary>Host key algorithms this library verifies: certificates first, then plain keys (RSA with SHA-2 only).</summary>
    public static IReadOnlyList<string> SupportedHostKeyAlgorithms { get; } =
    [
        .. PlainHostKeyAlgorithms.Select(a => a + CertificateAlgorithms.Suffix),
        .. PlainHostKeyAlgorithms,
    ];

    /// <summary>Ciphers this library implements, in the default order of preference.</summary>
    public static IReadOnlyList<string> SupportedCiphers { get; } = [.. CipherAlgorithm.All.Select(c => c.Name)];

    /// <summary>MACs this library implements (used with the CTR ciphers only), in the default order of preference.</summary>
    public static IReadOnlyList<string> SupportedMacAlgorithms { get; } = [.. MacAlgorithm.All.Select(m => m.Name)];

    private static string[] PlainHostKeyAlgorithms =>
    [
        SshAlgorithmNames.Ed25519, SshAlgorithmNames.EcdsaP256, SshAlgorithmNames.EcdsaP384, SshAlgorithmNames.EcdsaP521,
        SshAlgorithmNames.RsaSha512, SshAlgorithmNames.RsaSha256,
    ];

    /// <summary>The login name. Required.</summary>
    public string UserName { get; set; } = "";

    /// <summary>
    /// The name the client dialled: what a host certificate's principals must contain, and what
    /// <see cref="SshServerHostKey.HostName"/> reports. Required.
    /// </summary>
    public string HostName { get; set; } = "";

    /// <summary>The user's private key. Required for publickey authentication.</summary>
    public SshPrivateKey? PrivateKey { get; set; }

    /// <summary>An OpenSSH user certificate for <see cref="PrivateKey"/>; when set, the client authenticates with it instead of the plain key.</summary>
    public SshCertificate? Certificate { get; set; }

    /// <summary>Decides whether to trust the server's host key. Required; see <see cref="SshHostKeyVerifiers"/>.</summary>
    public SshHostKeyVerifier? HostKeyVerifier { get; set; }

    public IList<string> KeyExchangeAlgorithms { get; } = [.. SupportedKeyExchangeAlgorithms];

    public IList<string> HostKeyAlgorithms { get; } = [.. SupportedHostKeyAlgorithms];

    public IList<string> Ciphers { get; } = [.. SupportedCiphers];

    public IList<string> MacAlgorithms { get; } = [.. SupportedMacAlgorithms];

    /// <summary>The identification string sent to the server (RFC 4253 §4.2).</summary>
    public string ClientVersion { get; set; } = "SSH-2.0-TeleportOrleans_0.1";

    /// <summary>Time for the version exchange, key exchange and authentication together.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Interval of <c>keepalive@openssh.com</c> requests while the server is silent (OpenSSH's ServerAliveInterval);
    /// <see cref="Timeout.InfiniteTimeSpan"/> (the default) sends none.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>Unanswered keep-alives after which the connection is considered dead (OpenSSH's ServerAliveCountMax).</summary>
    public int KeepAliveCountMax { get; set; } = 3;

    /// <summary>Bytes in either direction after which the client re-exchanges keys.</summary>
    public long RekeyBytes { get; set; } = 1L << 30;

    /// <summary>Time after which the client re-exchanges keys (checked when packets flow).</summary>
    public TimeSpan RekeyInterval { get; set; } = TimeSpan.FromHours(1);

    public ILoggerFactory? LoggerFactory { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

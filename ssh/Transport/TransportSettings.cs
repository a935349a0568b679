namespace Teleport.Orleans.Ssh.Transport;

/// <summary>What the transport needs from the server options, resolved and validated once.</summary>
internal sealed class TransportSettings
{
    public required HostKeySet HostKeys { get; init; }

    public required IReadOnlyList<string> KeyExchangeAlgorithms { get; init; }

    public required IReadOnlyList<string> Ciphers { get; init; }

    public required IReadOnlyList<string> Macs { get; init; }

    /// <summary>The <c>server-sig-algs</c> value sent in EXT_INFO (RFC 8308 §3.1).</summary>
    public required IReadOnlyList<string> ServerSignatureAlgorithms { get; init; }

    /// <summary>Bytes in either direction after which the server starts a new key exchange.</summary>
    public long RekeyBytes { get; init; } = 1L << 30;

    public TimeSpan RekeyInterval { get; init; } = TimeSpan.FromHours(1);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

namespace Teleport.Orleans.Ssh.Client;

/// <summary>What the client transport needs from the client options, resolved and validated once.</summary>
internal sealed class ClientTransportSettings
{
    public required string ClientVersion { get; init; }

    public required IReadOnlyList<string> KeyExchangeAlgorithms { get; init; }

    public required IReadOnlyList<string> HostKeyAlgorithms { get; init; }

    public required IReadOnlyList<string> Ciphers { get; init; }

    public required IReadOnlyList<string> Macs { get; init; }

    /// <summary>
    /// Called once, in the first key exchange, after the server proved it holds the host key: throws
    /// <see cref="SshHostKeyRejectedException"/> to refuse the server.
    /// </summary>
    public required Func<SshServerHostKey, CancellationToken, ValueTask> VerifyHostKey { get; init; }

    public required string HostName { get; init; }

    /// <summary>Bytes in either direction after which the client starts a new key exchange.</summary>
    public long RekeyBytes { get; init; } = 1L << 30;

    public TimeSpan RekeyInterval { get; init; } = TimeSpan.FromHours(1);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Lines a server may send before its identification (RFC 4253 §4.2), bounded against a chatty peer.</summary>
    public int MaxPreambleLines { get; init; } = 32;
}

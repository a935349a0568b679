using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>What the client's transport and key exchange need from the client options, resolved and validated once.</summary>
internal sealed class ClientSettings
{
    public required TransportSettings Transport { get; init; }

    public required string ClientVersion { get; init; }

    public required IReadOnlyList<string> HostKeyAlgorithms { get; init; }

    /// <summary>
    /// Called once, in the first key exchange, after the server proved it holds the host key: throws
    /// <see cref="SshHostKeyRejectedException"/> to refuse the server.
    /// </summary>
    public required Func<SshServerHostKey, CancellationToken, ValueTask> VerifyHostKey { get; init; }

    public required string HostName { get; init; }

    /// <summary>Lines a server may send before its identification (RFC 4253 §4.2), bounded against a chatty peer.</summary>
    public int MaxPreambleLines { get; init; } = 32;
}

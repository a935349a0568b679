namespace Teleport.Orleans.Ssh.Transport;

/// <summary>What the transport needs from the client or server options, resolved and validated once.</summary>
internal sealed class TransportSettings
{
    public required IReadOnlyList<string> KeyExchangeAlgorithms { get; init; }

    public required IReadOnlyList<string> Ciphers { get; init; }

    public required IReadOnlyList<string> Macs { get; init; }

    /// <summary>Bytes in either direction after which we start a new key exchange.</summary>
    public long RekeyBytes { get; init; } = 1L << 30;

    public TimeSpan RekeyInterval { get; init; } = TimeSpan.FromHours(1);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The algorithm names of <paramref name="names"/>, each checked against <paramref name="supported"/>, without repeats.</summary>
    public static List<string> Validate(IList<string> names, IReadOnlyList<string> supported, string what)
    {
        if (names.Count == 0)
        {
            throw new ArgumentException($"At least one {what} is required.");
        }

        foreach (var name in names)
        {
            if (!supported.Contains(name))
            {
                throw new ArgumentException($"Unsupported {what} '{name}'; supported: {string.Join(", ", supported)}.");
            }
        }

        return [.. names.Distinct()];
    }
}

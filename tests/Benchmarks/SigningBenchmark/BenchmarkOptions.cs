using System.Globalization;

namespace Teleport.Orleans.Benchmarks.Signing;

/// <summary>Command line of the signing benchmark.</summary>
internal sealed record BenchmarkOptions
{
    public const string Usage =
        "usage: SigningBenchmark --auth-server HOST:PORT -i IDENTITY --user NAME [--duration SECONDS] [--concurrency N]\n" +
        "                        [--keys N] [--key-type ed25519|ecdsa] [--ttl SECONDS] [--no-tls]";

    public required string AuthServer { get; init; }
    public required string IdentityPath { get; init; }
    public required string User { get; init; }
    public double DurationSeconds { get; init; } = 10;
    public int Concurrency { get; init; } = 16;
    public int Keys { get; init; } = 256;
    public string KeyType { get; init; } = "ed25519";
    public long TtlSeconds { get; init; } = 3600;

    /// <summary>Leave out the X.509 public key so only the SSH certificate is signed.</summary>
    public bool NoTls { get; init; }

    public static BenchmarkOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var noTls = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--no-tls")
            {
                noTls = true;
                continue;
            }

            string name;
            string? value = null;
            var equals = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }
            else
            {
                name = arg;
            }

            name = name == "-i" ? "--identity" : name;
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument \"{arg}\"");
            }

            value ??= i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            values[name] = value;
        }

        string Required(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"{name} is required");

        var options = new BenchmarkOptions
        {
            AuthServer = Required("--auth-server"),
            IdentityPath = Required("--identity"),
            User = Required("--user"),
            DurationSeconds = Number(values, "--duration", 10.0),
            Concurrency = (int)Number(values, "--concurrency", 16.0),
            Keys = (int)Number(values, "--keys", 256.0),
            KeyType = values.GetValueOrDefault("--key-type", "ed25519").ToLowerInvariant(),
            TtlSeconds = (long)Number(values, "--ttl", 3600.0),
            NoTls = noTls,
        };

        var known = new[] { "--auth-server", "--identity", "--user", "--duration", "--concurrency", "--keys", "--key-type", "--ttl" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"unknown option {unknown}");
        }

        if (options.DurationSeconds <= 0 || options.Concurrency < 1 || options.Keys < 1 || options.TtlSeconds < 1)
        {
            throw new ArgumentException("--duration, --concurrency, --keys and --ttl must be positive");
        }

        if (options.KeyType is not ("ed25519" or "ecdsa"))
        {
            throw new ArgumentException("--key-type must be ed25519 or ecdsa");
        }

        return options;
    }

    private static double Number(Dictionary<string, string> values, string name, double fallback) =>
        !values.TryGetValue(name, out var text) ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"{name}: \"{text}\" is not a number");
}

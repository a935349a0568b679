using Npgsql;

namespace Teleport.Orleans.Backends.Postgres;

/// <summary>
/// Teleport writes <c>conn_string</c> as a PostgreSQL URL (<c>postgresql://user@host:5432/db?sslmode=verify-full</c>),
/// Npgsql takes keyword strings: this converts the first, and passes the second through.
/// </summary>
public static class PostgresConnectionStrings
{
    private static readonly Dictionary<string, Action<NpgsqlConnectionStringBuilder, string>> Parameters = new(StringComparer.Ordinal)
    {
        ["sslmode"] = (b, v) => b.SslMode = v switch
        {
            "disable" => SslMode.Disable,
            "allow" => SslMode.Allow,
            "prefer" => SslMode.Prefer,
            "require" => SslMode.Require,
            "verify-ca" => SslMode.VerifyCA,
            "verify-full" => SslMode.VerifyFull,
            _ => throw new ArgumentException($"conn_string: unknown sslmode '{v}'"),
        },
        ["sslrootcert"] = (b, v) => b.RootCertificate = v,
        ["sslcert"] = (b, v) => b.SslCertificate = v,
        ["sslkey"] = (b, v) => b.SslKey = v,
        ["sslpassword"] = (b, v) => b.SslPassword = v,
        ["application_name"] = (b, v) => b.ApplicationName = v,
        ["search_path"] = (b, v) => b.SearchPath = v,
        ["connect_timeout"] = (b, v) => b.Timeout = int.Parse(v, System.Globalization.CultureInfo.InvariantCulture),
        ["pool_max_conns"] = (b, v) => b.MaxPoolSize = int.Parse(v, System.Globalization.CultureInfo.InvariantCulture),
        ["pool_min_conns"] = (b, v) => b.MinPoolSize = int.Parse(v, System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string ToNpgsql(string connString)
    {
        var scheme = new[] { "postgresql://", "postgres://" }.FirstOrDefault(s => connString.StartsWith(s, StringComparison.OrdinalIgnoreCase));
        if (scheme is null)
        {
            return connString;
        }

        var rest = connString[scheme.Length..];
        var (authorityAndPath, query) = Split(rest, '?');
        var (authority, database) = Split(authorityAndPath, '/');
        var at = authority.LastIndexOf('@');
        var builder = new NpgsqlConnectionStringBuilder();
        if (at >= 0)
        {
            var (user, password) = Split(authority[..at], ':');
            builder.Username = Uri.UnescapeDataString(user);
            if (password.Length > 0)
            {
                builder.Password = Uri.UnescapeDataString(password);
            }
        }

        SetHosts(builder, authority[(at + 1)..]);
        if (database.Length > 0)
        {
            builder.Database = Uri.UnescapeDataString(database);
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = Split(pair, '=');
            if (!Parameters.TryGetValue(name, out var set))
            {
                throw new ArgumentException($"conn_string: the parameter '{name}' is not supported; use {string.Join(", ", Parameters.Keys)}");
            }

            set(builder, Uri.UnescapeDataString(value));
        }

        return builder.ConnectionString;
    }

    /// <summary>One host may carry its port; several hosts (failover) go to Npgsql as they are, each with its own port.</summary>
    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hosts)
    {
        var colon = hosts.LastIndexOf(':');
        if (!hosts.Contains(',') && colon > 0 && !hosts.EndsWith(']') && int.TryParse(hosts[(colon + 1)..], out var port))
        {
            builder.Host = hosts[..colon].Trim('[', ']');
            builder.Port = port;
        }
        else if (hosts.Length > 0)
        {
            builder.Host = hosts;
        }
    }

    private static (string Before, string After) Split(string text, char separator)
    {
        var index = text.IndexOf(separator);
        return index < 0 ? (text, "") : (text[..index], text[(index + 1)..]);
    }
}

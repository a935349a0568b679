using Npgsql;
using Teleport.Orleans.Backends.Postgres;

namespace Teleport.Orleans.Backends.Tests.Postgres;

public sealed class PostgresConnectionStringsTests
{
    [Fact]
    public void A_teleport_url_becomes_npgsql_keywords()
    {
        var converted = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.ToNpgsql(
            "postgresql://teleport@postgres.internal.example.com:5432/teleport_backend?sslmode=verify-full&pool_max_conns=20&sslrootcert=/etc/ca.pem"));

        Assert.Equal("teleport", converted.Username);
        Assert.Equal("postgres.internal.example.com", converted.Host);
        Assert.Equal(5432, converted.Port);
        Assert.Equal("teleport_backend", converted.Database);
        Assert.Equal(SslMode.VerifyFull, converted.SslMode);
        Assert.Equal(20, converted.MaxPoolSize);
        Assert.Equal("/etc/ca.pem", converted.RootCertificate);
    }

    [Fact]
    public void Escaped_credentials_and_a_search_path_are_decoded()
    {
        var converted = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.ToNpgsql("postgres://auth%40corp:p%3Ass%2Fw@db/state?search_path=teleport"));

        Assert.Equal("auth@corp", converted.Username);
        Assert.Equal("p:ss/w", converted.Password);
        Assert.Equal("db", converted.Host);
        Assert.Equal("teleport", converted.SearchPath);
    }

    [Fact]
    public void Several_hosts_keep_their_ports()
    {
        var converted = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.ToNpgsql("postgresql://u@pg1:5432,pg2:5433/db"));

        Assert.Equal("pg1:5432,pg2:5433", converted.Host);
    }

    [Fact]
    public void Keyword_strings_pass_through_and_unknown_url_parameters_are_named()
    {
        Assert.Equal("Host=db;Username=u", PostgresConnectionStrings.ToNpgsql("Host=db;Username=u"));
        var error = Assert.Throws<ArgumentException>(() => PostgresConnectionStrings.ToNpgsql("postgresql://u@db/x?frobnicate=1"));
        Assert.Contains("'frobnicate'", error.Message);
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// The proxy pool: two auth processes on PostgreSQL and separate proxy-only processes with no storage section, which
/// joined with a Proxy token and reach the silos as Orleans clients over mutual TLS, having learned them from the auth
/// API. Each proxy serves the web API and the SSH proxy on its own.
/// </summary>
public sealed partial class ProxyPoolTests(ProxyPoolTests.Pool pool) : IClassFixture<ProxyPoolTests.Pool>
{
    [Fact]
    public async Task Proxy_only_process_answers_ping_with_the_cluster_and_its_own_addresses()
    {
        using var web = WebClient.For(pool.Proxy.Ports.WebPort, out _);

        var ping = await web.GetFromJsonAsync<JsonObject>("/webapi/ping");

        Assert.Equal("itest.example.com", ping!["cluster_name"]!.GetValue<string>());
        Assert.Equal($"127.0.0.1:{pool.Proxy.Ports.SshPort}", ping["proxy"]!["ssh"]!["listen_addr"]!.GetValue<string>());
    }

    [Fact]
    public async Task User_logs_in_for_certificates_through_the_proxy_only_process()
    {
        var certificate = await LoginThroughProxyAsync(pool.Auth, pool.Proxy, "pool-alice", "alice");

        Assert.Equal("pool-alice", certificate.KeyId);
        Assert.Contains("alice", certificate.Principals);
    }

    [Fact]
    public async Task Ssh_jump_through_the_proxy_only_process_runs_a_command_on_an_agentless_node()
    {
        var result = await pool.Jump.Run(pool.Proxy.Ports.SshPort, "pool-agentless", pool.Sshd.Port, "echo through-the-proxy-pool");

        Assert.True(result.ExitCode == 0, result.Stderr + pool.Proxy.Output + pool.Sshd.Log);
        Assert.Equal("through-the-proxy-pool\n", result.Stdout);
    }

    [Fact]
    public async Task Tctl_status_shows_both_auth_servers_and_the_proxy_connected_to_them()
    {
        var status = (await pool.Auth.Tctl("status")).EnsureSuccess().Stdout;

        Assert.Matches(@"Auth servers\s+2 active of 2", status);
        Assert.Matches($@"127\.0\.0\.1:{pool.Auth.SiloPort}\s+Active", status);
        Assert.Matches($@"127\.0\.0\.1:{pool.SecondAuth.SiloPort}\s+Active", status);
        Assert.Matches(@"Proxies\s+at least [1-9]", status);
    }

    [Fact]
    public async Task Proxy_only_process_exports_its_metrics_on_diag_addr()
    {
        await pool.Jump.Run(pool.Proxy.Ports.SshPort, "pool-agentless", pool.Sshd.Port, "true");
        using var http = new HttpClient();

        var metrics = await http.GetStringAsync($"http://127.0.0.1:{pool.Proxy.DiagPort}/metrics");

        Assert.Contains("service_name=\"teleport-proxy\"", metrics);
        Assert.Matches(@"(?m)^teleport_connect_to_node_attempts_total\{[^}]*\} [1-9]", metrics);
        Assert.Contains("teleport_reverse_tunnels_connected{", metrics);
    }

    [Fact]
    public async Task A_second_proxy_process_serves_the_same_cluster_as_the_first()
    {
        (await pool.Auth.Tctl("tokens", "add", "--type=proxy", "--value=second-proxy-token")).EnsureSuccess();
        await using var second = ProxyOnlyProcess.Start(pool.Auth.AuthPort, "second-proxy-token", "proxy-2");
        await second.WaitReady();

        var result = await pool.Jump.Run(second.Ports.SshPort, "pool-agentless", pool.Sshd.Port, "echo via-second");
        using var web = WebClient.For(second.Ports.WebPort, out _);
        var ping = await web.GetFromJsonAsync<JsonObject>("/webapi/ping");

        Assert.Equal("itest.example.com", ping!["cluster_name"]!.GetValue<string>());
        Assert.True(result.ExitCode == 0, result.Stderr + second.Output);
        Assert.Equal("via-second\n", result.Stdout);
    }

    /// <summary>
    /// Adds <paramref name="user"/> on the auth process, redeems the invite and logs in (<c>POST /v1/webapi/ssh/certs</c>)
    /// through the proxy's web API: each step reaches the grains through the proxy's Orleans client.
    /// </summary>
    internal static async Task<SshCertificate> LoginThroughProxyAsync(TeleportServer auth, ProxyOnlyProcess proxy, string user, string login)
    {
        var secret = await AddUserThroughProxyAsync(auth, proxy, user, "access", login);
        using var web = WebClient.For(proxy.Ports.WebPort, out _);
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);

        var response = await web.PostAsJsonAsync("/v1/webapi/ssh/certs", new
        {
            user,
            password = UserPassword,
            // The next time step: the step used to enrol is spent.
            otp_token = GatewayFixture.Code(secret, DateTime.UtcNow.AddSeconds(30)),
            pub_key = key.PublicKey.ToAuthorizedKeysLine(),
            ttl = 3600,
        });

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{proxy.Output}");
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return SshCertificate.Parse(body!["cert"]!.GetValue<string>());
    }

    internal const string UserPassword = "correct horse battery";

    /// <summary>
    /// Adds <paramref name="user"/> with tctl on the auth process and sets their password and second factor through the
    /// proxy's invite page; returns the second factor's secret.
    /// </summary>
    internal static async Task<string> AddUserThroughProxyAsync(TeleportServer auth, ProxyOnlyProcess proxy, string user, string roles, string login)
    {
        using var web = WebClient.For(proxy.Ports.WebPort, out _);
        var added = (await auth.Tctl("users", "add", user, $"--roles={roles}", $"--logins={login}")).EnsureSuccess();
        var token = InviteLink().Match(added.Stdout).Groups[1].Value;
        var details = await web.GetFromJsonAsync<JsonObject>($"/v1/webapi/users/password/token/{token}");
        var secret = SecretInUri().Match(details!["otp_uri"]!.GetValue<string>()).Groups[1].Value;
        (await web.PutAsJsonAsync("/v1/webapi/users/password/token", new
        {
            token,
            password = UserPassword,
            second_factor_token = GatewayFixture.Code(secret, DateTime.UtcNow),
        })).EnsureSuccessStatusCode();
        return secret;
    }

    [GeneratedRegex("/web/invite/([0-9a-f]{32})")]
    private static partial Regex InviteLink();

    [GeneratedRegex("secret=([A-Z2-7]+)")]
    private static partial Regex SecretInUri();

    public sealed class Pool : IAsyncLifetime
    {
        private readonly PostgresServer _postgres = new();

        internal TeleportServer Auth { get; private set; } = null!;

        internal ProxyOnlyProcess Proxy { get; private set; } = null!;

        /// <summary>A second silo on the same backend: the proxy's grain calls land on either.</summary>
        internal TeleportServer SecondAuth { get; private set; } = null!;

        internal AgentlessSshd Sshd { get; private set; } = null!;

        internal OpenSshJump Jump { get; private set; } = null!;

        internal string Storage { get; private set; } = "";

        internal string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("proxy-pool-").FullName;

        public async Task InitializeAsync()
        {
            await _postgres.InitializeAsync();
            Storage = await PostgresStorage(_postgres);
            Auth = await TeleportServer.StartAsync(Storage);
            SecondAuth = await TeleportServer.StartAsync(Storage);
            (await Auth.Tctl("tokens", "add", "--type=proxy", "--value=first-proxy-token")).EnsureSuccess();
            Proxy = ProxyOnlyProcess.Start(Auth.AuthPort, "first-proxy-token");
            await Proxy.WaitReady();

            var login = Environment.UserName;
            (await Auth.Tctl("users", "add", "pool-jumper", "--roles=access", $"--logins={login}")).EnsureSuccess();
            var key = await ProxyClient.SignUser(Auth, "pool-jumper", Directory);
            Sshd = await AgentlessSshd.StartRegisteredAsync(Auth, "pool-agentless", Directory);
            var knownHosts = $"@cert-authority * {(await ProxyClient.HostCa(Auth)).ToAuthorizedKeysLine()}\n[pool-agentless]:{Sshd.Port} {Sshd.HostKeyLine}\n";
            Jump = new OpenSshJump(Directory, key, login, knownHosts);
        }

        public async Task DisposeAsync()
        {
            if (Sshd is not null)
            {
                await Sshd.DisposeAsync();
            }

            if (Proxy is not null)
            {
                await Proxy.DisposeAsync();
            }

            if (SecondAuth is not null)
            {
                await SecondAuth.DisposeAsync();
            }

            if (Auth is not null)
            {
                await Auth.DisposeAsync();
            }

            await _postgres.DisposeAsync();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary>A <c>storage:</c> section (indented for the <c>teleport:</c> block) on a fresh schema.</summary>
    internal static async Task<string> PostgresStorage(PostgresServer postgres)
    {
        var schema = await postgres.CreateSchemaAsync();
        return $"""
              storage:
                type: postgresql
                conn_string: postgresql://{PostgresServer.Superuser}@127.0.0.1:{postgres.Port}/postgres?search_path={schema}
            """;
    }
}

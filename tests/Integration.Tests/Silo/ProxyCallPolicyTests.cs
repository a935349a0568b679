using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Gateway.Identity;
using Teleport.Orleans.Integration.Tests.Gateway;
using Teleport.Orleans.Integration.Tests.Nodes;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Silo;

/// <summary>
/// An Orleans client holding a real proxy's joined identity (what a misused proxy could do): the mutual TLS lets it
/// in, and the silo then lets it make only the calls a proxy needs, never an admin operation or a call in the name
/// of a system identity. Its certificate does not open the silo-to-silo port either.
/// </summary>
public sealed class ProxyCallPolicyTests(ProxyCallPolicyTests.Cluster cluster) : IClassFixture<ProxyCallPolicyTests.Cluster>
{
    [Fact]
    public async Task Proxy_client_reads_the_cluster_settings_it_routes_on()
    {
        var settings = await cluster.Grains.GetGrain<IClusterGrain>(IClusterGrain.Key).GetSettings();

        Assert.Equal("itest.example.com", settings.ClusterName);
    }

    [Fact]
    public async Task Proxy_client_may_not_create_a_user()
    {
        var refused = await Assert.ThrowsAsync<AuthException>(() =>
            cluster.Grains.GetGrain<IUserGrain>("mallory").Save(new User { Name = "mallory", Roles = ["editor"] }, upsert: false, new Caller { Name = "proxy", Roles = ["Proxy"] }));

        Assert.Equal(AuthErrorKind.AccessDenied, refused.Kind);
        Assert.Contains("IUserGrain.Save is reserved for the auth service", refused.Message, StringComparison.Ordinal);
        Assert.Null(await AdminUser("mallory"));
    }

    [Fact]
    public async Task Proxy_client_may_not_ask_for_an_admin_certificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var refused = await Assert.ThrowsAsync<AuthException>(() => cluster.Grains.GetGrain<ICertificateIssuerGrain>(0).IssueHostCertificates(
            new HostCertificateRequest { HostId = "evil", Role = "Admin", TlsPublicKey = key.ExportSubjectPublicKeyInfo() },
            new Caller { Name = "proxy", Roles = ["Proxy"] }));

        Assert.Contains("ICertificateIssuerGrain.IssueHostCertificates is reserved", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_client_may_not_call_in_the_name_of_a_system_identity()
    {
        var refused = await Assert.ThrowsAsync<AuthException>(() =>
            cluster.Grains.GetGrain<IUserTokenGrain>("0123456789abcdef0123456789abcdef").Redeem("password", "", Caller.System));

        Assert.Contains("a proxy may not act as Admin", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_certificate_does_not_open_the_silo_to_silo_port()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", cluster.Auth.SiloPort);
        await using var tls = new SslStream(tcp.GetStream());
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "teleport.cluster.local",
                EnabledSslProtocols = SslProtocols.Tls13,
                LocalCertificateSelectionCallback = (_, _, _, _, _) => cluster.ProxyCertificate,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            await tls.WriteAsync(new byte[] { 0, 0, 0, 0 });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            Assert.Equal(0, await tls.ReadAsync(new byte[16], timeout.Token));
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            // Refused in the handshake or reset: also a refusal.
        }

        await Eventually.Until(
            () => cluster.Auth.Output.Contains("Orleans silo port from 127.0.0.1", StringComparison.Ordinal)
                && cluster.Auth.Output.Contains("for role \"Proxy\", not Auth", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20),
            "the silo port's refusal of a Proxy certificate in the log");
    }

    [Fact]
    public async Task Garbage_after_a_good_handshake_closes_that_connection_and_the_silo_serves_on()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", cluster.Auth.GatewayPort);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "teleport.cluster.local",
            EnabledSslProtocols = SslProtocols.Tls13,
            LocalCertificateSelectionCallback = (_, _, _, _, _) => cluster.ProxyCertificate,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        var garbage = new byte[64 * 1024];
        new Random(7).NextBytes(garbage);

        var closed = false;
        try
        {
            await tls.WriteAsync(garbage);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var buffer = new byte[4096];
            while (await tls.ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            closed = true;
        }
        catch (IOException)
        {
            closed = true;
        }

        var settings = await cluster.Grains.GetGrain<IClusterGrain>(IClusterGrain.Key).GetSettings();
        Assert.True(closed);
        Assert.Equal("itest.example.com", settings.ClusterName);
    }

    [Fact]
    public async Task Proxy_client_may_not_start_a_web_session_on_its_own()
    {
        var forged = new WebSession
        {
            Id = WebSessionSecrets.NewId(),
            User = "admin",
            BearerHash = WebSessionSecrets.Hash("the proxy's own token"),
            Roles = ["editor"],
            Expires = DateTimeOffset.UtcNow.AddHours(1),
        };

        var refused = await Assert.ThrowsAsync<AuthException>(() => cluster.Grains.GetGrain<IWebSessionGrain>(forged.Id).Start(forged));

        Assert.Contains("IWebSessionGrain.Start is reserved for the auth service", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_client_saves_a_role_for_a_signed_in_editor_whatever_name_it_claims()
    {
        var session = await cluster.SignIn("policy-editor", "editor,access");

        var saved = await cluster.Grains.GetGrain<IRoleGrain>("policy-made").Save(
            new Role { Name = "policy-made" }, upsert: false, new Caller { Name = "someone-else", Roles = ["access"], WebSession = Proof(session) });

        Assert.Equal("policy-made", saved.Name);
        Assert.Contains("policy-made", (await cluster.Auth.Tctl("get", "role/policy-made")).EnsureSuccess().Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_client_may_not_save_a_role_for_a_signed_in_user_whose_roles_do_not_allow_it()
    {
        var session = await cluster.SignIn("policy-user", "access");

        var refused = await Assert.ThrowsAsync<AuthException>(() => cluster.Grains.GetGrain<IRoleGrain>("policy-denied").Save(
            new Role { Name = "policy-denied" }, upsert: false, new Caller { Name = "policy-user", Roles = ["editor"], WebSession = Proof(session) }));

        Assert.Contains("access denied to perform action \"create\" on \"role\"", refused.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, (await cluster.Auth.Tctl("get", "role/policy-denied")).ExitCode);
    }

    [Fact]
    public async Task Proxy_client_may_not_save_a_role_without_a_usable_web_session()
    {
        var session = await cluster.SignIn("policy-editor-2", "editor");
        var role = cluster.Grains.GetGrain<IRoleGrain>("policy-unproved");

        var withoutSession = await Assert.ThrowsAsync<AuthException>(() =>
            role.Save(new Role { Name = "policy-unproved" }, upsert: false, new Caller { Name = "policy-editor-2", Roles = ["editor"] }));
        var wrongBearer = await Assert.ThrowsAsync<AuthException>(() => role.Save(new Role { Name = "policy-unproved" }, upsert: false, new Caller
        {
            Name = "policy-editor-2",
            Roles = ["editor"],
            WebSession = new WebSessionProof { SessionId = session.Session.Id, BearerHash = WebSessionSecrets.Hash("a guess") },
        }));

        Assert.Contains("reserved for the auth service and signed-in web users", withoutSession.Message, StringComparison.Ordinal);
        Assert.Contains("not usable (BearerMismatch)", wrongBearer.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, (await cluster.Auth.Tctl("get", "role/policy-unproved")).ExitCode);
    }

    [Fact]
    public async Task Proxy_client_may_change_only_the_signed_in_users_own_password()
    {
        var session = await cluster.SignIn("policy-self", "access");

        var refused = await Assert.ThrowsAsync<AuthException>(() => cluster.Grains.GetGrain<IUserGrain>("admin").SetCredentials(
            "a new password for admin", "", "", new Caller { Name = "admin", WebSession = Proof(session) }));

        Assert.Contains("policy-self may change only their own account", refused.Message, StringComparison.Ordinal);
    }

    private static WebSessionProof Proof(StartedWebSession started) =>
        new() { SessionId = started.Session.Id, BearerHash = WebSessionSecrets.Hash(started.Bearer) };

    private async Task<string?> AdminUser(string name)
    {
        var result = await cluster.Auth.Tctl("get", $"user/{name}");
        return result.ExitCode == 0 ? result.Stdout : null;
    }

    public sealed class Cluster : IAsyncLifetime
    {
        private WebApplication? _client;
        private ProxyOnlyProcess? _proxy;

        internal TeleportServer Auth { get; private set; } = null!;

        internal IGrainFactory Grains => _client!.Services.GetRequiredService<IClusterClient>();

        /// <summary>Adds a user with a password (through the proxy's invite page) and signs them in for the web UI.</summary>
        internal async Task<StartedWebSession> SignIn(string user, string roles)
        {
            var secret = await ProxyPoolTests.AddUserThroughProxyAsync(Auth, _proxy!, user, roles, Environment.UserName);
            var result = await Grains.GetGrain<IUserLoginGrain>(0).LoginWeb(new UserLoginRequest
            {
                User = user,
                Password = ProxyPoolTests.UserPassword,
                // The next time step: the step used to enrol is spent.
                OtpCode = GatewayFixture.Code(secret, DateTime.UtcNow.AddSeconds(30)),
                ClientAddress = "127.0.0.1",
            }, TimeSpan.FromMinutes(10), new Caller { Name = user, Roles = ["Proxy"] });
            return result.Started ?? throw new InvalidOperationException($"{user} could not sign in: {result.Login.Failure} {result.Login.Message}");
        }

        internal System.Security.Cryptography.X509Certificates.X509Certificate2 ProxyCertificate { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Auth = await TeleportServer.StartAsync();
            (await Auth.Tctl("tokens", "add", "--type=proxy", "--value=policy-proxy-token")).EnsureSuccess();
            _proxy = ProxyOnlyProcess.Start(Auth.AuthPort, "policy-proxy-token");
            await _proxy.WaitReady();
            var joined = NodeIdentity.Load(Path.Combine(_proxy.DataDir, "proxy"))!;
            var identity = new GatewayHostIdentity(
                joined.SshPrivateKeyPem, joined.SshCertificate, joined.UserCa, joined.HostCa, joined.ClusterName,
                joined.TlsPrivateKeyPem, joined.TlsCertificatePem, joined.TlsCaPem);
            ProxyCertificate = ProxyIdentity.FromJoined(identity).TlsCertificate;

            var builder = WebApplication.CreateSlimBuilder();
            builder.AddGatewayClient(() => identity, _ => Task.FromResult<IReadOnlyList<IPEndPoint>>([new IPEndPoint(IPAddress.Loopback, Auth.GatewayPort)]));
            _client = builder.Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _client.StartAsync(timeout.Token);
        }

        public async Task DisposeAsync()
        {
            if (_client is not null)
            {
                await _client.StopAsync();
                await _client.DisposeAsync();
            }

            if (_proxy is not null)
            {
                await _proxy.DisposeAsync();
            }

            if (Auth is not null)
            {
                await Auth.DisposeAsync();
            }
        }
    }
}

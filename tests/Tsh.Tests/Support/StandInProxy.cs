using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Authentication;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Tsh.Tests.Support;

/// <summary>
/// A stand-in for the gateway, speaking Teleport's shapes on 127.0.0.1: the HTTPS web API (ping, password+OTP
/// login returning certificates, paginated node listing and the recordings, both requiring the user's X.509
/// certificate) and the SSH proxy port with the <c>proxy:</c> subsystem, which leads to a real sshd as every node
/// (localhost and web labelled env=test, db env=prod).
/// </summary>
internal sealed class StandInProxy : IAsyncDisposable
{
    public const string Cluster = "e2e.test";
    public const string Password = "correct horse";
    public const string Otp = "123456";
    public const string SessionId = "6f1b2c1e-0000-4000-8000-000000000001";

    /// <summary>A recorded session that ended before <see cref="SessionId"/> began.</summary>
    public const string OlderSessionId = "6f1b2c1e-0000-4000-8000-000000000002";

    /// <summary>An exec session the node did not record (session_recording: off).</summary>
    public const string UnrecordedSessionId = "6f1b2c1e-0000-4000-8000-000000000003";
    /// <summary>A user whose certificate does not permit port forwarding.</summary>
    public const string NoForwardUser = "noforward";

    public const string RecordedCast = "{\"version\":2,\"width\":80,\"height\":24}\n[0.1,\"o\",\"$ \"]\n[0.9,\"o\",\"echo typed-by-alice\\r\\n\"]\n[1.0,\"o\",\"typed-by-alice\\r\\n\"]\n";

    private readonly WebApplication _web;
    private readonly SshListener _ssh;
    private readonly X509Certificate2 _tlsCa;
    private readonly ConcurrentDictionary<string, bool> _issued = new();

    private StandInProxy(WebApplication web, SshListener ssh, X509Certificate2 tlsCa, NodeSshd node, SshPrivateKey userCa, SshPrivateKey hostCa)
    {
        _web = web;
        _ssh = ssh;
        _tlsCa = tlsCa;
        Node = node;
        UserCa = userCa;
        HostCa = hostCa;
    }

    public NodeSshd Node { get; }

    public SshPrivateKey UserCa { get; }

    public SshPrivateKey HostCa { get; }

    public int WebPort { get; private set; }

    public int SshPort => _ssh.LocalEndPoint.Port;

    /// <summary>The subsystems clients asked the SSH proxy for, in order.</summary>
    public ConcurrentQueue<string> Subsystems { get; private set; } = new();

    /// <summary>The ttl (seconds) of the last login request.</summary>
    public long LastTtl { get; private set; } = -1;

    public static async Task<StandInProxy> StartAsync()
    {
        var userCa = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var hostCa = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var node = await NodeSshd.StartAsync(hostCa, userCa.PublicKey, Cluster);
        var subsystems = new ConcurrentQueue<string>();
        var sshOptions = new SshServerOptions
        {
            Authenticate = (request, _) => ValueTask.FromResult(request.Certificate?.SignatureKey.Equals(userCa.PublicKey) == true
                ? SshAuthenticationResult.Accept()
                : SshAuthenticationResult.Reject("not a user certificate of the cluster")),
            SessionHandlerFactory = _ => new ProxySubsystemHandler(node.Port, Cluster, subsystems),
        };
        sshOptions.HostKeys.Add(SshPrivateKey.Generate(SshKeyType.Ed25519));
        var ssh = new SshListener(new SshServer(sshOptions), new IPEndPoint(IPAddress.Loopback, 0));
        ssh.Start();

        using var tlsCaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tlsCa = new CertificateRequest("CN=" + Cluster, tlsCaKey, HashAlgorithmName.SHA256) { CertificateExtensions = { new X509BasicConstraintsExtension(true, false, 0, true) } }
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = ServerCertificate(),
            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
            ClientCertificateValidation = (_, _, _) => true,
        })));
        var app = builder.Build();
        var proxy = new StandInProxy(app, ssh, tlsCa, node, userCa, hostCa);
        proxy.Subsystems = subsystems;
        proxy.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.WebPort = new Uri(address).Port;
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
        await _ssh.DisposeAsync();
        await Node.DisposeAsync();
        _tlsCa.Dispose();
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/webapi/ping", () => Results.Json(new
        {
            auth = new { second_factor = "otp" },
            proxy = new { ssh = new { listen_addr = $"0.0.0.0:{SshPort}", public_addr = "" }, tls_routing_enabled = false },
            server_version = "stand-in",
            cluster_name = Cluster,
        }));
        app.MapPost("/v1/webapi/ssh/certs", (Delegate)LoginAsync);
        app.MapGet("/v1/webapi/sites/{site}/resources", (HttpContext context, string? startKey) => Authorized(context, () => startKey switch
        {
            // Two pages, so paging by startKey is exercised.
            null or "" => new { items = new object[] { NodeItem("localhost", "env", "test"), NodeItem("web", "env", "test") }, startKey = "page2" },
            _ => new { items = new object[] { NodeItem("db", "env", "prod") }, startKey = "" },
        }));
        app.MapGet("/v1/webapi/sites/{site}/events/search", (HttpContext context) => Authorized(context, () => new
        {
            events = new object[]
            {
                new
                {
                    @event = "session.end", code = "T2004I", sid = OlderSessionId, user = "alice", participants = new[] { "alice", "bob" },
                    server_hostname = "db", session_start = DateTimeOffset.UtcNow.AddHours(-3), session_stop = DateTimeOffset.UtcNow.AddHours(-1).AddMinutes(-3),
                },
                new
                {
                    @event = "session.end", code = "T2004I", sid = SessionId, user = "alice", participants = new[] { "alice" },
                    server_hostname = "localhost", session_start = DateTimeOffset.UtcNow.AddMinutes(-5), session_stop = DateTimeOffset.UtcNow.AddMinutes(-4),
                },
                new
                {
                    @event = "session.end", code = "T2004I", sid = UnrecordedSessionId, user = "alice", participants = new[] { "alice" },
                    server_hostname = "localhost", session_start = DateTimeOffset.UtcNow.AddMinutes(-3), session_stop = DateTimeOffset.UtcNow.AddMinutes(-3),
                    session_recording = "off",
                },
            },
            startKey = "",
        }));
        app.MapGet("/v1/webapi/sites/{site}/sessions/{sid}/stream", (HttpContext context, string sid) =>
            !IsUser(context) ? Results.Json(new { error = new { message = "access denied" } }, statusCode: 401)
            : sid == SessionId ? Results.Text(RecordedCast, "application/octet-stream") : Results.NotFound());
    }

    private async Task<IResult> LoginAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var root = body.RootElement;
        var user = root.GetProperty("user").GetString()!;
        if (root.GetProperty("password").GetString() != Password || root.GetProperty("otp_token").GetString() != Otp)
        {
            return Results.Json(new { error = new { message = "invalid credentials" } }, statusCode: 401);
        }

        LastTtl = root.GetProperty("ttl").GetInt64();
        var key = SshPublicKey.Parse(root.GetProperty("pub_key").GetString()!);
        var lifetime = LastTtl > 0 ? TimeSpan.FromSeconds(LastTtl) : TimeSpan.FromHours(12);
        var sshCertificate = new SshCertificateBuilder
        {
            PublicKey = key,
            KeyId = user,
            Principals = [Environment.UserName],
            ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-1),
            ValidBefore = DateTimeOffset.UtcNow + lifetime,
            // The user NoForwardUser gets no port forwarding, as a role without port_forwarding.
            Extensions = user == NoForwardUser
                ? new Dictionary<string, string> { ["permit-pty"] = "" }
                : new Dictionary<string, string> { ["permit-agent-forwarding"] = "", ["permit-pty"] = "", ["permit-port-forwarding"] = "" },
        }.Sign(UserCa);
        using var tlsKey = ECDsa.Create();
        tlsKey.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        using var signer = _tlsCa.GetECDsaPrivateKey()!;
        var tlsCertificate = new CertificateRequest("CN=" + user, tlsKey, HashAlgorithmName.SHA256)
            .Create(_tlsCa.SubjectName, X509SignatureGenerator.CreateForECDsa(signer), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow + lifetime, RandomNumberGenerator.GetBytes(8));
        _issued[tlsCertificate.Thumbprint] = true;
        return Results.Json(new
        {
            username = user,
            cert = sshCertificate.ToAuthorizedKeysLine(),
            tls_cert = tlsCertificate.ExportCertificatePem(),
            host_signers = new[] { new { domain_name = Cluster, checking_keys = new[] { HostCa.PublicKey.ToAuthorizedKeysLine() }, tls_certs = new[] { _tlsCa.ExportCertificatePem() } } },
        });
    }

    private bool IsUser(HttpContext context) => context.Connection.ClientCertificate is { } presented && _issued.ContainsKey(presented.Thumbprint);

    private IResult Authorized(HttpContext context, Func<object> answer) =>
        IsUser(context) ? Results.Json(answer()) : Results.Json(new { error = new { message = "access denied: no user certificate" } }, statusCode: 401);

    private static object NodeItem(string hostname, string label, string value) => new
    {
        kind = "node",
        name = hostname + "-uuid",
        hostname,
        addr = "127.0.0.1:3022",
        labels = new[] { new { name = label, value } },
    };

    internal static X509Certificate2 ServerCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.Integration.Tests.Tsh;

namespace Teleport.Orleans.Integration.Tests.Apps;

/// <summary>
/// An all-in-one cluster whose app_service serves two loopback echo apps, <c>echo</c> (env=test) and <c>other</c>
/// (env=secret), at <c>NAME.itest</c> on the proxy's web port, and a user alice (role access) logged in with tsh.
/// Clients resolve every name to 127.0.0.1 and send the app's name as Host and SNI.
/// </summary>
public sealed class AppCluster : IAsyncLifetime
{
    internal EchoApp Echo { get; private set; } = null!;

    internal EchoApp Other { get; private set; } = null!;

    internal TshCluster Tsh { get; private set; } = null!;

    internal int WebPort => Tsh.Server.Proxy!.WebPort;

    public async Task InitializeAsync()
    {
        Echo = await EchoApp.StartAsync();
        Other = await EchoApp.StartAsync();
        Tsh = new TshCluster(new ProxySettings
        {
            AppServiceSection = $"""
                app_service:
                  enabled: true
                  apps:
                  - name: echo
                    description: Echo app
                    uri: {Echo.Uri}
                    labels:
                      env: test
                    rewrite:
                      headers:
                      - "X-Team: ops"
                  - name: other
                    uri: {Other.Uri}
                    labels:
                      env: secret
                """,
        });
        await Tsh.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Tsh.DisposeAsync();
        await Echo.DisposeAsync();
        await Other.DisposeAsync();
    }

    /// <summary>The app's URL on the proxy.</summary>
    internal string Url(string app, string path = "/") => $"https://{app}.itest:{WebPort}{path}";

    /// <summary>An HTTPS client that connects every name to the proxy on 127.0.0.1, presenting <paramref name="certificate"/> if given.</summary>
    internal HttpClient Client(X509Certificate2? certificate = null, CookieContainer? cookies = null) =>
        new(Handler(certificate, cookies)) { Timeout = TimeSpan.FromSeconds(30) };

    internal SocketsHttpHandler Handler(X509Certificate2? certificate = null, CookieContainer? cookies = null) => HandlerFor(WebPort, certificate, cookies);

    /// <summary>An HTTPS handler that connects every name to the proxy web port <paramref name="webPort"/> on 127.0.0.1.</summary>
    internal static SocketsHttpHandler HandlerFor(int webPort, X509Certificate2? certificate = null, CookieContainer? cookies = null) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = cookies is not null,
        CookieContainer = cookies ?? new CookieContainer(),
        ConnectCallback = async (_, token) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, webPort, token);
            return new NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
            ClientCertificates = certificate is null ? null : [certificate],
        },
    };

    /// <summary>Runs <c>tsh apps login</c> in <paramref name="home"/> and loads the app certificate with its key.</summary>
    internal Task<(X509Certificate2 Certificate, CommandResult Login)> AppsLogin(DirectoryInfo home, string app) => TshAppsLogin(home, app);

    /// <summary><see cref="AppsLogin"/> against whichever proxy the profile in <paramref name="home"/> logged in to.</summary>
    internal static async Task<(X509Certificate2 Certificate, CommandResult Login)> TshAppsLogin(DirectoryInfo home, string app)
    {
        var login = await TshCluster.TshIn(home, "", "apps", "login", app);
        if (login.ExitCode != 0)
        {
            return (null!, login);
        }

        var cert = (await TshCluster.TshIn(home, "", "apps", "config", app, "--format=cert")).EnsureSuccess().Stdout.Trim();
        var key = (await TshCluster.TshIn(home, "", "apps", "config", app, "--format=key")).EnsureSuccess().Stdout.Trim();
        return (Load(File.ReadAllText(cert), File.ReadAllText(key)), login);
    }

    /// <summary>The user certificate tsh login stored in <paramref name="home"/> (key and X.509 PEM of the profile).</summary>
    internal static X509Certificate2 UserCertificate(DirectoryInfo home)
    {
        // keys/PROXY/USER-x509.pem; app certificates live a level deeper, under USER-app/CLUSTER/.
        var proxyDirectory = Directory.GetDirectories(Path.Combine(home.FullName, "keys")).Single();
        var keys = Directory.GetFiles(proxyDirectory, "*-x509.pem", SearchOption.TopDirectoryOnly).Single();
        var keyFile = keys[..^"-x509.pem".Length];
        var key = Teleport.Orleans.Ssh.Keys.SshPrivateKey.Parse(File.ReadAllText(keyFile));
        return Load(File.ReadAllText(keys), key.ToPkcs8Pem());
    }

    /// <summary>Creates an app session with the user's certificate as the web UI would; with <paramref name="publicKey"/>, also the app certificate.</summary>
    internal async Task<JsonObject> CreateSession(X509Certificate2 user, string app, byte[]? publicKey = null)
    {
        using var web = Client(user);
        var response = await web.PostAsJsonAsync($"https://itest:{WebPort}/v1/webapi/sessions/app", new
        {
            app_name = app,
            tls_public_key = publicKey is null ? null : Convert.ToBase64String(publicKey),
        });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return response.IsSuccessStatusCode ? body! : throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
    }

    /// <summary>
    /// The newest 1000 app.session.* events of the last hour whose JSON contains <paramref name="text"/>. Newest first:
    /// the expired-certificate test alone forwards over a thousand requests while it waits, and an oldest-first search
    /// with a limit never reached the events of a test that ran after it.
    /// </summary>
    internal async Task<string[]> AppEvents(string type, string text)
    {
        var client = AuthClientFactory.Create($"127.0.0.1:{Tsh.Server.AuthPort}", IdentityFile.Load(Path.Combine(Tsh.Server.DataDir, "admin.identity")), out var channel);
        using var _ = channel;
        var found = await client.SearchEventsAsync(new SearchEventsRequest
        {
            From = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
            To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(1)),
            EventTypes = { type },
            Limit = 1000,
            Descending = true,
        });
        return [.. found.Events.Where(e => e.Contains(text, StringComparison.Ordinal))];
    }

    /// <summary>The message of the proxy's JSON error body.</summary>
    internal static async Task<string> ErrorMessage(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())?["error"]?["message"]?.GetValue<string>() ?? "";

    internal static X509Certificate2 Load(string certificatePem, string keyPem)
    {
        using var pem = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    internal static byte[] NewPublicKey(out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportSubjectPublicKeyInfo();
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppCluster>
{
    public const string Name = "apps";
}

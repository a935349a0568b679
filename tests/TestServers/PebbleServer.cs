using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.TestServers;

/// <summary>
/// Let's Encrypt's ACME test server from the Debian package pebble, with pebble-challtestsrv as its DNS (every name
/// resolves to 127.0.0.1). The package ships no certificate for pebble's own HTTPS listener, so this makes a CA
/// and a leaf for 127.0.0.1 (<see cref="CaFile"/>: trust it to reach <see cref="DirectoryUrl"/>). pebble validates
/// TLS-ALPN-01 on <c>tlsPort</c>, the port of the proxy (or load balancer) under test. Both processes are
/// stopped by their process ids.
/// </summary>
public sealed class PebbleServer : IAsyncDisposable
{
    private const string Pebble = "/usr/bin/pebble";
    private const string ChallTestSrv = "/usr/bin/pebble-challtestsrv";

    private readonly TempDirectory _dir = new("teleport-pebble-");
    private ServerProcess? _pebble;
    private ServerProcess? _dns;
    private X509Certificate2? _ca;

    private PebbleServer()
    {
    }

    /// <summary>The ACME directory URL.</summary>
    public string DirectoryUrl { get; private set; } = "";

    /// <summary>PEM of the CA that signed pebble's listener certificate.</summary>
    public string CaFile => _dir.File("ca.pem");

    public string Output => (_pebble?.Output ?? "") + (_dns?.Output ?? "");

    private int ManagementPort { get; set; }

    /// <param name="tlsPort">Where pebble connects to validate TLS-ALPN-01 challenges.</param>
    /// <param name="nonceRejectPercent">PEBBLE_WFE_NONCEREJECT: how many good nonces pebble refuses as bad (0 for none).</param>
    public static async Task<PebbleServer> StartAsync(int tlsPort, int nonceRejectPercent = 0)
    {
        foreach (var binary in new[] { Pebble, ChallTestSrv })
        {
            if (!File.Exists(binary))
            {
                throw new InvalidOperationException($"{binary} not found: install the Debian package pebble (./test.sh does)");
            }
        }

        var server = new PebbleServer();
        try
        {
            await server.LaunchAsync(tlsPort, nonceRejectPercent);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>pebble's root for the certificates it issues (it makes a new one each start): its management endpoint /roots/0.</summary>
    public async Task<X509Certificate2> IssuerRootAsync()
    {
        using var http = Http();
        var pem = await http.GetStringAsync(new Uri($"https://127.0.0.1:{ManagementPort}/roots/0"));
        return X509Certificate2.CreateFromPem(pem);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in new[] { _pebble, _dns })
        {
            if (process is not null)
            {
                await process.StopAsync(process.Pid, Native.SigTerm);
                process.Dispose();
            }
        }

        _ca?.Dispose();
        _dir.Dispose();
    }

    private async Task LaunchAsync(int tlsPort, int nonceRejectPercent)
    {
        var ports = FreePorts.Take(4).Select(p => p.ToString(CultureInfo.InvariantCulture)).ToArray();
        WriteListenerCertificate();
        _dns = ServerProcess.Start(ChallTestSrv, [
            "-dns01", "127.0.0.1:" + ports[2],
            "-http01", "",
            "-https01", "",
            "-tlsalpn01", "",
            "-management", "127.0.0.1:" + ports[3],
            "-defaultIPv4", "127.0.0.1",
            "-defaultIPv6", "",
        ]);
        var config = new JsonObject
        {
            ["pebble"] = new JsonObject
            {
                ["listenAddress"] = "127.0.0.1:" + ports[0],
                ["managementListenAddress"] = "127.0.0.1:" + ports[1],
                ["certificate"] = _dir.File("listener.pem"),
                ["privateKey"] = _dir.File("listener.key"),
                ["httpPort"] = 5002,
                ["tlsPort"] = tlsPort,
                ["ocspResponderURL"] = "",
                ["externalAccountBindingRequired"] = false,
            },
        };
        var configFile = _dir.Write("pebble.json", config.ToJsonString());
        _pebble = ServerProcess.Start(Pebble, ["-config", configFile, "-dnsserver", "127.0.0.1:" + ports[2]], new Dictionary<string, string>
        {
            // No random 0-15 s sleep before each validation; nonces refused only as the test asks.
            ["PEBBLE_VA_NOSLEEP"] = "1",
            ["PEBBLE_WFE_NONCEREJECT"] = nonceRejectPercent.ToString(CultureInfo.InvariantCulture),
        });
        DirectoryUrl = $"https://127.0.0.1:{ports[0]}/dir";
        ManagementPort = int.Parse(ports[1], CultureInfo.InvariantCulture);
        using var http = Http();
        await Eventually.Until(async () =>
        {
            if (_pebble.HasExited || _dns.HasExited)
            {
                throw new InvalidOperationException("pebble exited at start:\n" + Output);
            }

            try
            {
                return (await http.GetAsync(new Uri(DirectoryUrl))).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20), "pebble answering its directory");
    }

    /// <summary>A CA and a leaf for 127.0.0.1 and localhost, for pebble's HTTPS listener.</summary>
    private void WriteListenerCertificate()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=pebble listener test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = request.Create(_ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(12));
        File.WriteAllText(_dir.File("ca.pem"), _ca.ExportCertificatePem());
        File.WriteAllText(_dir.File("listener.pem"), leaf.ExportCertificatePem());
        _dir.Write("listener.key", key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>An HTTP client that trusts only the listener CA.</summary>
    private HttpClient Http()
    {
        var ca = _ca!;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
    }
}

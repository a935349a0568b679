using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.TestServers;
using Xunit.Abstractions;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// proxy_service.acme against Let's Encrypt's test server (pebble, with pebble-challtestsrv resolving every name to
/// 127.0.0.1): the web port answers TLS-ALPN-01 and then serves the issued certificate by SNI. The teleport
/// processes trust pebble's listener through SSL_CERT_FILE.
/// </summary>
public sealed class AcmeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Proxy_with_acme_enabled_serves_a_certificate_from_the_acme_server_for_its_public_name()
    {
        var proxy = new ProxySettings();
        await using var pebble = await PebbleServer.StartAsync(tlsPort: proxy.WebPort);
        proxy.PublicAddr = $"proxy.acme.test:{proxy.WebPort}";
        proxy.Extra = Acme(pebble);
        var clock = Stopwatch.StartNew();
        await using var server = await TeleportServer.StartWithProxyAsync(proxy, new Dictionary<string, string> { ["SSL_CERT_FILE"] = pebble.CaFile });
        using var root = await pebble.IssuerRootAsync();

        X509Certificate2? served = null;
        await Eventually.Until(async () => (served = await AcmeProbe.TrustedCertificateAsync(proxy.WebPort, "proxy.acme.test", root)) is not null,
            TimeSpan.FromSeconds(60), "the proxy serving a certificate from pebble\n" + server.Output + pebble.Output);
        output.WriteLine($"start to a served ACME certificate: {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(["proxy.acme.test"], served!.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        // Other names still get the proxy's own certificate.
        Assert.Null(await AcmeProbe.TrustedCertificateAsync(proxy.WebPort, "other.acme.test", root));
        Assert.Contains("ACME: obtained a certificate for proxy.acme.test", server.Output, StringComparison.Ordinal);
    }

    // The first proxy-only process fails to start here: its join token is reported used 2 s after its own first join
    // (a second join attempt in the same process; not diagnosed yet). The ACME part is not reached.
    [Fact(Skip = "proxy-only start with two public_addr names re-joins and finds its token used; to be diagnosed")]
    public async Task Two_proxies_behind_a_load_balancer_serve_the_same_certificates_whichever_proxy_the_validation_reaches()
    {
        var balancerPort = FreePorts.Take(1)[0];
        await using var pebble = await PebbleServer.StartAsync(tlsPort: balancerPort);
        await using var auth = await TeleportServer.StartAsync();
        (await auth.Tctl("tokens", "add", "--type=proxy", "--value=acme-proxy-token-1")).EnsureSuccess();
        (await auth.Tctl("tokens", "add", "--type=proxy", "--value=acme-proxy-token-2")).EnsureSuccess();
        // Two names: two validations, which the balancer's round robin sends one to each proxy, so the proxy that did
        // not order answers one of them from the challenge the other published in the cluster.
        var environment = new Dictionary<string, string> { ["SSL_CERT_FILE"] = pebble.CaFile };
        var settings = new[] { new ProxySettings(), new ProxySettings() };
        foreach (var s in settings)
        {
            s.PublicAddr = $"[a.acme.test:{balancerPort}, b.acme.test:{balancerPort}]";
            s.Extra = Acme(pebble);
        }

        await using var balancer = await TcpBalancer.StartAsync(balancerPort, [.. settings.Select(s => s.WebPort)]);
        // One after the other: two joins at once on a loaded machine made a join retry and find its token used.
        await using var first = ProxyOnlyProcess.Start(auth.AuthPort, "acme-proxy-token-1", "acme-proxy-1", ports: settings[0], environment: environment);
        await first.WaitReady();
        await using var second = ProxyOnlyProcess.Start(auth.AuthPort, "acme-proxy-token-2", "acme-proxy-2", ports: settings[1], environment: environment);
        await second.WaitReady();
        using var root = await pebble.IssuerRootAsync();

        var served = new Dictionary<(int Port, string Name), X509Certificate2>();
        await Eventually.Until(async () =>
        {
            foreach (var port in settings.Select(s => s.WebPort))
            {
                foreach (var name in new[] { "a.acme.test", "b.acme.test" })
                {
                    if (!served.ContainsKey((port, name)) && await AcmeProbe.TrustedCertificateAsync(port, name, root) is { } certificate)
                    {
                        served[(port, name)] = certificate;
                    }
                }
            }

            return served.Count == 4;
        }, TimeSpan.FromSeconds(90), "both proxies serving pebble's certificates for both names\n" + first.Output + second.Output + pebble.Output);

        foreach (var name in new[] { "a.acme.test", "b.acme.test" })
        {
            Assert.Equal(served[(settings[0].WebPort, name)].Thumbprint, served[(settings[1].WebPort, name)].Thumbprint);
            Assert.Equal(served[(settings[0].WebPort, name)].Thumbprint, (await AcmeProbe.TrustedCertificateAsync(balancerPort, name, root))?.Thumbprint);
        }

        // One proxy ordered (the lease); each answered a validation.
        const string Obtained = "ACME: obtained a certificate for a.acme.test";
        Assert.True(first.Output.Contains(Obtained, StringComparison.Ordinal) ^ second.Output.Contains(Obtained, StringComparison.Ordinal), first.Output + second.Output);
        Assert.Contains("ACME: answering the TLS-ALPN-01 validation", first.Output, StringComparison.Ordinal);
        Assert.Contains("ACME: answering the TLS-ALPN-01 validation", second.Output, StringComparison.Ordinal);
    }

    private static string Acme(PebbleServer pebble) => $"  acme:\n    enabled: yes\n    email: admin@acme.test\n    uri: {pebble.DirectoryUrl}\n";
}

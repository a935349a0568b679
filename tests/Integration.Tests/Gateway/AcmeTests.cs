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
        // The certificate is served a moment before the line that reports it is written.
        await Eventually.Until(() => Task.FromResult(server.Output.Contains("ACME: obtained a certificate for proxy.acme.test", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the proxy reporting the certificate it obtained");
    }

    // Each proxy joins with its own single-use Proxy token, at the same time: on a loaded machine a join can time out
    // after the auth service spent the token, and the retry (same host id, same keys) gets the same answer.
    [Fact]
    public async Task Two_proxies_behind_a_load_balancer_serve_the_same_certificates_whichever_proxy_the_validation_reaches()
    {
        var balancerPort = FreePorts.Take(1)[0];
        await using var pebble = await PebbleServer.StartAsync(tlsPort: balancerPort);
        await using var grafana = await Apps.EchoApp.StartAsync();
        // The auth process (with a proxy of its own, no ACME) registers the app grafana; the two ACME proxies serve it
        // at grafana.proxy.acme.test. Two names: two validations, which the balancer's round robin spreads over the
        // proxies, so the proxy that did not order answers one from the challenge the other published in the cluster.
        await using var auth = await TeleportServer.StartWithProxyAsync(new ProxySettings
        {
            AppServiceSection = $"app_service:\n  enabled: true\n  apps:\n  - name: grafana\n    uri: {grafana.Uri}\n",
        });
        (await auth.Tctl("tokens", "add", "--type=proxy", "--value=acme-proxy-token-1")).EnsureSuccess();
        (await auth.Tctl("tokens", "add", "--type=proxy", "--value=acme-proxy-token-2")).EnsureSuccess();
        var environment = new Dictionary<string, string> { ["SSL_CERT_FILE"] = pebble.CaFile };
        var settings = new[] { new ProxySettings(), new ProxySettings() };
        foreach (var s in settings)
        {
            s.PublicAddr = $"proxy.acme.test:{balancerPort}";
            s.Extra = Acme(pebble);
        }

        await using var balancer = await TcpBalancer.StartAsync(balancerPort, [.. settings.Select(s => s.WebPort)]);
        var clock = Stopwatch.StartNew();
        await using var first = ProxyOnlyProcess.Start(auth.AuthPort, "acme-proxy-token-1", "acme-proxy-1", ports: settings[0], environment: environment);
        await using var second = ProxyOnlyProcess.Start(auth.AuthPort, "acme-proxy-token-2", "acme-proxy-2", ports: settings[1], environment: environment);
        try
        {
            await Task.WhenAll(first.WaitReady(), second.WaitReady());
        }
        catch (TimeoutException)
        {
            Assert.Fail("both proxy-only processes to be ready\n" + first.Output + "\n----\n" + second.Output);
        }
        using var root = await pebble.IssuerRootAsync();

        string[] names = ["proxy.acme.test", "grafana.proxy.acme.test"];
        var served = new Dictionary<(int Port, string Name), X509Certificate2>();
        await Eventually.Until(async () =>
        {
            foreach (var port in settings.Select(s => s.WebPort))
            {
                foreach (var name in names)
                {
                    if (!served.ContainsKey((port, name)) && await AcmeProbe.TrustedCertificateAsync(port, name, root) is { } certificate)
                    {
                        served[(port, name)] = certificate;
                    }
                }
            }

            return served.Count == 4;
        }, TimeSpan.FromSeconds(90), "both proxies serving pebble's certificates for both names\n" + first.Output + second.Output + pebble.Output);
        output.WriteLine($"two proxies: start to both serving both ACME certificates: {clock.Elapsed.TotalSeconds:0.0} s");

        foreach (var name in names)
        {
            Assert.Equal(served[(settings[0].WebPort, name)].Thumbprint, served[(settings[1].WebPort, name)].Thumbprint);
            Assert.Equal(served[(settings[0].WebPort, name)].Thumbprint, (await AcmeProbe.TrustedCertificateAsync(balancerPort, name, root))?.Thumbprint);
            Assert.Equal([name], served[(settings[0].WebPort, name)].Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        }

        // One proxy ordered each name (the lease); both answered validations through the balancer.
        foreach (var name in names)
        {
            var obtained = $"ACME: obtained a certificate for {name} ";
            await Eventually.Until(() => Task.FromResult(first.Output.Contains(obtained, StringComparison.Ordinal) || second.Output.Contains(obtained, StringComparison.Ordinal)),
                TimeSpan.FromSeconds(10), $"a proxy reporting the certificate it obtained for {name}");
            Assert.True(first.Output.Contains(obtained, StringComparison.Ordinal) ^ second.Output.Contains(obtained, StringComparison.Ordinal), first.Output + second.Output);
        }

        Assert.Contains("ACME: answering the TLS-ALPN-01 validation", first.Output, StringComparison.Ordinal);
        Assert.Contains("ACME: answering the TLS-ALPN-01 validation", second.Output, StringComparison.Ordinal);
    }

    private static string Acme(PebbleServer pebble) => $"  acme:\n    enabled: yes\n    email: admin@acme.test\n    uri: {pebble.DirectoryUrl}\n";
}

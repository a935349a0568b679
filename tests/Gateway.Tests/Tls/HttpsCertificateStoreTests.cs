using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Gateway.Tls;

namespace Teleport.Orleans.Gateway.Tests.Tls;

public sealed class HttpsCertificateStoreTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("gateway-tls-");

    [Fact]
    public void Without_key_pairs_a_self_signed_certificate_is_made_once_and_kept_across_restarts()
    {
        var first = Store([]).Select(null);
        var second = Store([]).Select(null);

        Assert.Equal(first.Thumbprint, second.Thumbprint);
        Assert.True(first.MatchesHostname("proxy.example.com"));
        Assert.True(first.HasPrivateKey);
    }

    [Fact]
    public void Server_name_picks_the_matching_key_pair_and_others_get_the_first()
    {
        var a = Write("a", "a.example.com");
        var b = Write("b", "b.example.com");
        var store = Store([a, b]);

        Assert.Equal("b.example.com", Name(store.Select("b.example.com")));
        Assert.Equal("a.example.com", Name(store.Select("other.example.com")));
        Assert.Equal("a.example.com", Name(store.Select(null)));
    }

    [Fact]
    public void Unreadable_key_pair_at_start_is_an_error_naming_the_file()
    {
        var missing = new HttpsKeyPair(Path.Combine(_dir.FullName, "none.key"), Path.Combine(_dir.FullName, "none.crt"));

        var error = Assert.Throws<InvalidOperationException>(() => Store([missing]));

        Assert.Contains("none.crt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Half_written_renewal_keeps_serving_the_previous_certificate()
    {
        var pair = Write("site", "site.example.com");
        var time = new ManualTime();
        var store = Store([pair], time);

        File.WriteAllText(pair.CertFile, "-----BEGIN CERTIFICATE-----\ntruncated");
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("site.example.com", Name(store.Select(null)));
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private HttpsCertificateStore Store(HttpsKeyPair[] pairs, TimeProvider? time = null) => new(new GatewayOptions
    {
        WebListenEndpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
        PublicAddr = "proxy.example.com:3080",
        SshPublicAddr = "proxy.example.com:3023",
        TunnelPublicAddr = "proxy.example.com:3024",
        DataDir = _dir.FullName,
        HostNames = ["proxy.example.com"],
        HttpsKeyPairs = pairs,
    }, NullLogger<HttpsCertificateStore>.Instance, time ?? TimeProvider.System);

    private HttpsKeyPair Write(string file, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pair = new HttpsKeyPair(Path.Combine(_dir.FullName, file + ".key"), Path.Combine(_dir.FullName, file + ".crt"));
        File.WriteAllText(pair.KeyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(pair.CertFile, certificate.ExportCertificatePem());
        return pair;
    }

    private static string Name(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

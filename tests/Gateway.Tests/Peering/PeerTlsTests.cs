using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.Access.Identity;
using Teleport.Orleans.Gateway.Identity;
using Teleport.Orleans.Gateway.Peering;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Gateway.Tests.Peering;

/// <summary>
/// Gateways accept each other only with an X.509 certificate from the cluster's TLS CA, for role Proxy, of this
/// cluster and valid now, and the real TLS handshake between two gateways (client certificate included) succeeds.
/// </summary>
public sealed class PeerTlsTests : IDisposable
{
    private const string Cluster = "peer.example.com";

    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _refusals = new();

    public PeerTlsTests()
    {
        _ca = CreateCa(_caKey, "peer-ca");
    }

    [Fact]
    public void Proxy_certificate_from_the_cluster_ca_is_accepted()
    {
        var identity = Identity("Proxy", Cluster);

        Assert.Null(PeerCertificates.Check(Identity("Proxy", Cluster).TlsCertificate, identity));
    }

    [Fact]
    public void Node_certificate_is_refused_as_a_peer()
    {
        var refusal = PeerCertificates.Check(Identity("Node", Cluster).TlsCertificate, Identity("Proxy", Cluster));

        Assert.Contains("not Proxy", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Certificate_of_another_cluster_is_refused()
    {
        var refusal = PeerCertificates.Check(Identity("Proxy", "other.example.com").TlsCertificate, Identity("Proxy", Cluster));

        Assert.Contains("other.example.com", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Certificate_from_another_ca_is_refused()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherCa = CreateCa(otherKey, "other-ca");
        var stranger = Issue(otherCa, otherKey, "Proxy", Cluster, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));

        var refusal = PeerCertificates.Check(stranger, Identity("Proxy", Cluster));

        Assert.Contains("not from this cluster's TLS CA", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Expired_certificate_is_refused()
    {
        var expired = Issue(_ca, _caKey, "Proxy", Cluster, DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddHours(-1));

        Assert.NotNull(PeerCertificates.Check(expired, Identity("Proxy", Cluster)));
    }

    [Fact]
    public void No_certificate_is_refused()
    {
        Assert.Equal("the peer presented no certificate", PeerCertificates.Check(null, Identity("Proxy", Cluster)));
    }

    [Fact]
    public async Task Two_gateways_complete_mutual_tls_and_exchange_a_request()
    {
        var (server, client) = await Handshake(Identity("Proxy", Cluster), Identity("Proxy", Cluster));
        await using (server.Stream)
        await using (client.Stream)
        {
            Assert.Null(server.Refusal);
            Assert.Null(client.Refusal);
            Assert.NotNull(server.Stream.RemoteCertificate);

            await new PeerRequest("node-1", "192.0.2.7:51000").WriteAsync(client.Stream, CancellationToken.None);
            var request = await PeerRequest.ReadAsync(server.Stream, CancellationToken.None);
            await PeerRequest.AnswerAsync(server.Stream, "no tunnel\nhere", CancellationToken.None);

            Assert.Equal(new PeerRequest("node-1", "192.0.2.7:51000"), request);
            Assert.Equal("no tunnel here", await PeerRequest.ReadAnswerAsync(client.Stream, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Gateway_refuses_a_node_certificate_in_the_handshake()
    {
        await Assert.ThrowsAnyAsync<System.Security.Authentication.AuthenticationException>(() => Handshake(Identity("Proxy", Cluster), Identity("Node", Cluster)));

        Assert.Contains(_refusals, r => r.Contains("role \"Node\", not Proxy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_request_is_an_error_not_a_dial()
    {
        using var stream = new MemoryStream("DIAL only-two\n"u8.ToArray());

        await Assert.ThrowsAsync<IOException>(() => PeerRequest.ReadAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task A_request_for_an_app_carries_the_apps_address_to_the_gateway_holding_the_tunnel()
    {
        using var stream = new MemoryStream();
        await new PeerRequest("apps-1", "", "127.0.0.1:8080").WriteAsync(stream, CancellationToken.None);
        stream.Position = 0;

        Assert.Equal(new PeerRequest("apps-1", "", "127.0.0.1:8080"), await PeerRequest.ReadAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task A_request_whose_app_address_is_not_host_and_port_is_an_error_not_a_dial()
    {
        using var stream = new MemoryStream("DIAL apps-1 - no-port\n"u8.ToArray());

        await Assert.ThrowsAsync<IOException>(() => PeerRequest.ReadAsync(stream, CancellationToken.None));
    }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
    }

    private async Task<((SslStream Stream, string? Refusal) Server, (SslStream Stream, string? Refusal) Client)> Handshake(ProxyIdentity serverIdentity, ProxyIdentity clientIdentity)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accept = listener.AcceptTcpClientAsync();
        var tcpClient = new TcpClient();
        await tcpClient.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var tcpServer = await accept;
        var serverTls = new SslStream(tcpServer.GetStream(), false);
        var clientTls = new SslStream(tcpClient.GetStream(), false);
        string? serverRefusal = null, clientRefusal = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var serverSide = serverTls.AuthenticateAsServerAsync(PeerCertificates.Server(serverIdentity, r => Record(ref serverRefusal, r)), timeout.Token);
        var clientSide = clientTls.AuthenticateAsClientAsync(PeerCertificates.Client(clientIdentity, "127.0.0.1", r => Record(ref clientRefusal, r)), timeout.Token);
        try
        {
            await Task.WhenAll(serverSide, clientSide);
        }
        catch
        {
            await serverTls.DisposeAsync();
            await clientTls.DisposeAsync();
            throw;
        }

        return ((serverTls, serverRefusal), (clientTls, clientRefusal));
    }

    private void Record(ref string? slot, string? refusal)
    {
        slot = refusal;
        if (refusal is not null)
        {
            _refusals.Enqueue(refusal);
        }
    }

    private ProxyIdentity Identity(string role, string cluster)
    {
        var sshCa = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var hostKey = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var sshCertificate = new SshCertificateBuilder
        {
            PublicKey = hostKey.PublicKey,
            Type = SshCertificateType.Host,
            KeyId = "peer",
            Principals = ["peer"],
            ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-1),
            ValidBefore = DateTimeOffset.UtcNow.AddHours(1),
        }.Sign(sshCa);
        var tls = Issue(_ca, _caKey, role, cluster, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        return new ProxyIdentity(hostKey, sshCertificate, sshCa.PublicKey, cluster, sshCa.PublicKey, tls, [X509CertificateLoader.LoadCertificate(_ca.RawData)]);
    }

    private static X509Certificate2 CreateCa(ECDsa key, string name)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, ECDsa caKey, string role, string cluster, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X509Identity { Name = $"host.{cluster}", Roles = [role], ClusterName = cluster, SystemRoles = [role] }.ToSubject();
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var generator = X509SignatureGenerator.CreateForECDsa(caKey);
        using var issued = request.Create(ca.SubjectName, generator, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return ProxyIdentity.WithKey(issued.ExportCertificatePem(), key);
    }
}

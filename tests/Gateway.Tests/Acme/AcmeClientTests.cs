using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.Gateway.Acme;
using Teleport.Orleans.TestServers;
using Teleport.Orleans.TestSupport;

namespace Teleport.Orleans.Gateway.Tests.Acme;

/// <summary>The RFC 8555 client against Let's Encrypt's test server, pebble, answering TLS-ALPN-01 from a plain SslStream listener.</summary>
public sealed class AcmeClientTests
{
    [Fact]
    public async Task Order_against_pebble_yields_a_certificate_for_the_name_that_chains_to_pebbles_root_though_a_fifth_of_the_nonces_are_refused()
    {
        await using var responder = new ChallengeResponder();
        await using var pebble = await PebbleServer.StartAsync(responder.Port, nonceRejectPercent: 20);
        using var accountKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = new AcmeClient(new Uri(pebble.DirectoryUrl), accountKey, AcmeClient.Handler(pebble.CaFile), pollInterval: TimeSpan.FromMilliseconds(200));

        var account = await client.RegisterAsync("admin@example.com", CancellationToken.None);
        var issued = await AcmeOrderer.ObtainAsync(client, accountKey, "proxy.acme.test", responder.Publish, CancellationToken.None);

        Assert.StartsWith("https://127.0.0.1:", account, StringComparison.Ordinal);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(issued.ChainPem);
        Assert.Equal(["proxy.acme.test"], chain[0].Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        using var root = await pebble.IssuerRootAsync();
        Assert.True(ChainsTo(chain, root), "the issued certificate does not chain to pebble's root");
        Assert.True(issued.NotAfter > DateTimeOffset.UtcNow.AddDays(1));
        Assert.Empty(responder.Pending);
        Assert.True(responder.Answered > 0);
    }

    [Fact]
    public async Task Name_whose_challenge_nobody_answers_fails_with_a_sentence_naming_it()
    {
        var closedPort = FreePorts.Take(1)[0];
        await using var pebble = await PebbleServer.StartAsync(closedPort);
        using var accountKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = new AcmeClient(new Uri(pebble.DirectoryUrl), accountKey, AcmeClient.Handler(pebble.CaFile), pollInterval: TimeSpan.FromMilliseconds(200));
        await client.RegisterAsync(null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<AcmeProblem>(() =>
            AcmeOrderer.ObtainAsync(client, accountKey, "unreachable.acme.test", (_, _) => Task.CompletedTask, CancellationToken.None));

        Assert.StartsWith("the ACME server could not validate unreachable.acme.test with tls-alpn-01: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_that_is_not_trusted_is_refused_with_a_sentence_naming_it()
    {
        await using var pebble = await PebbleServer.StartAsync(FreePorts.Take(1)[0]);
        using var accountKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = new AcmeClient(new Uri(pebble.DirectoryUrl), accountKey, AcmeClient.Handler(null));

        var error = await Assert.ThrowsAsync<AcmeProblem>(() => client.RegisterAsync(null, CancellationToken.None));

        Assert.StartsWith($"cannot reach the ACME server {pebble.DirectoryUrl}: ", error.Message, StringComparison.Ordinal);
    }

    private static bool ChainsTo(X509Certificate2Collection chain, X509Certificate2 root)
    {
        using var builder = new X509Chain();
        builder.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        builder.ChainPolicy.CustomTrustStore.Add(root);
        builder.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        builder.ChainPolicy.ExtraStore.AddRange(chain);
        return builder.Build(chain[0]);
    }

    /// <summary>Answers acme-tls/1 handshakes with the challenge certificate for the published name, as the proxy does.</summary>
    private sealed class ChallengeResponder : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _answered;

        public ChallengeResponder()
        {
            _listener.Start();
            _loop = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public ConcurrentDictionary<string, string> Pending { get; } = new();

        public int Answered => _answered;

        public Task Publish(string name, string? keyAuthorization)
        {
            if (keyAuthorization is null)
            {
                Pending.TryRemove(name, out _);
            }
            else
            {
                Pending[name] = keyAuthorization;
            }

            return Task.CompletedTask;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = AnswerAsync(socket);
            }
        }

        private async Task AnswerAsync(TcpClient socket)
        {
            using (socket)
            {
                await using var tls = new SslStream(socket.GetStream());
                try
                {
                    await tls.AuthenticateAsServerAsync((_, hello, _, _) => ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificate = TlsAlpnChallenge.Certificate(hello.ServerName, Pending[hello.ServerName]),
                        ApplicationProtocols = [TlsAlpnChallenge.Protocol],
                    }), null, _stop.Token);
                    Interlocked.Increment(ref _answered);
                }
                catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or KeyNotFoundException or OperationCanceledException)
                {
                }
            }
        }
    }
}

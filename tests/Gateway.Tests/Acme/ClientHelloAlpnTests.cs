using System.Buffers;
using System.Net.Security;
using Teleport.Orleans.Gateway.Acme;

namespace Teleport.Orleans.Gateway.Tests.Acme;

/// <summary>The web port sees whether a real .NET TLS client's ClientHello offers acme-tls/1, before the handshake.</summary>
public sealed class ClientHelloAlpnTests
{
    [Fact]
    public async Task Hello_offering_acme_tls_is_recognised()
    {
        var hello = await CaptureHelloAsync([SslApplicationProtocol.Http2, TlsAlpnChallenge.Protocol]);

        Assert.True(ClientHelloAlpn.Offers(new ReadOnlySequence<byte>(hello), TlsAlpnChallenge.Protocol.Protocol.Span));
    }

    [Fact]
    public async Task Hello_offering_only_http_is_not_a_challenge()
    {
        var hello = await CaptureHelloAsync([SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);

        Assert.False(ClientHelloAlpn.Offers(new ReadOnlySequence<byte>(hello), TlsAlpnChallenge.Protocol.Protocol.Span));
    }

    [Fact]
    public async Task Partial_hello_asks_for_more_bytes_and_non_tls_bytes_are_not_a_challenge()
    {
        var hello = await CaptureHelloAsync([TlsAlpnChallenge.Protocol]);

        Assert.Null(ClientHelloAlpn.Offers(new ReadOnlySequence<byte>(hello, 0, hello.Length - 1), TlsAlpnChallenge.Protocol.Protocol.Span));
        Assert.False(ClientHelloAlpn.Offers(new ReadOnlySequence<byte>("GET / HTTP/1.1\r\n"u8.ToArray()), TlsAlpnChallenge.Protocol.Protocol.Span));
    }

    /// <summary>The first bytes a real SslStream client writes.</summary>
    private static async Task<byte[]> CaptureHelloAsync(List<SslApplicationProtocol> protocols)
    {
        var capture = new CaptureStream();
        using var tls = new SslStream(capture);
        await Assert.ThrowsAnyAsync<Exception>(() => tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "proxy.example.com",
            ApplicationProtocols = protocols,
        }));
        return capture.Written.ToArray();
    }

    /// <summary>Keeps what is written; reading ends the stream, so the handshake stops after the ClientHello.</summary>
    private sealed class CaptureStream : Stream
    {
        public MemoryStream Written { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => 0;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);
    }
}

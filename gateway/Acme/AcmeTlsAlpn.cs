using Microsoft.AspNetCore.Connections;
using TlsProtocolFeature = Microsoft.AspNetCore.Server.Kestrel.Core.Features.ITlsApplicationProtocolFeature;

namespace Teleport.Orleans.Gateway.Acme;

/// <summary>
/// The web port's side of TLS-ALPN-01: before TLS, notes whether the ClientHello offers <c>acme-tls/1</c> (so the
/// handshake can present the challenge certificate); after TLS, closes a connection that negotiated it, since
/// the validation is the handshake itself (RFC 8737 section 3).
/// </summary>
internal static class AcmeTlsAlpn
{
    private const string Offered = "acme-tls/1 offered";
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);

    public static bool WasOffered(BaseConnectionContext connection) => connection.Items.ContainsKey(Offered);

    public static ConnectionDelegate InspectHello(ConnectionDelegate next) => async connection =>
    {
        var input = connection.Transport.Input;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(HelloTimeout);
        while (true)
        {
            System.IO.Pipelines.ReadResult result;
            try
            {
                result = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var buffer = result.Buffer;
            var offered = ClientHelloAlpn.Offers(buffer, TlsAlpnChallenge.Protocol.Protocol.Span);
            if (offered is null && !result.IsCompleted && buffer.Length < ClientHelloAlpn.MaxRecord)
            {
                // Nothing consumed: TLS reads the same bytes.
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            input.AdvanceTo(buffer.Start);
            if (offered == true)
            {
                connection.Items[Offered] = true;
            }

            break;
        }

        await next(connection);
    };

    public static ConnectionDelegate CloseChallenges(ConnectionDelegate next) => connection =>
    {
        var protocol = connection.Features.Get<TlsProtocolFeature>()?.ApplicationProtocol ?? ReadOnlyMemory<byte>.Empty;
        return protocol.Span.SequenceEqual(TlsAlpnChallenge.Protocol.Protocol.Span) ? Task.CompletedTask : next(connection);
    };
}

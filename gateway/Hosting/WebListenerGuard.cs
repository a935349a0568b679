using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Gateway.Multiplex;
using Teleport.Orleans.Ssh.Server;
using TlsProtocolFeature = Microsoft.AspNetCore.Server.Kestrel.Core.Features.ITlsApplicationProtocolFeature;

namespace Teleport.Orleans.Gateway.Hosting;

/// <summary>
/// Kestrel connection middleware around TLS on the web port. <see cref="Admit"/>, before TLS, applies
/// max_connections per client address and puts the connection in an <see cref="UnauthenticatedConnectionBudget"/>,
/// so idle TLS handshakes are evicted for newcomers instead of piling up; <see cref="HandshakeDone"/>, after TLS,
/// takes HTTP connections out of it. Connections that ALPN routes to the SSH proxy or the tunnel server stay in
/// the budget until those authenticate them (<see cref="WaitingOf"/>).
/// </summary>
internal sealed class WebListenerGuard
{
    private readonly ConnectionLimiter _limiter;
    private readonly UnauthenticatedConnectionBudget _budget;
    private readonly string _name;

    public WebListenerGuard(GatewayOptions options, ConnectionLimiter limiter, ILoggerFactory loggerFactory)
    {
        _limiter = limiter;
        _name = $"web {options.WebListenEndpoint}";
        _budget = new UnauthenticatedConnectionBudget(
            new UnauthenticatedConnectionBudgetOptions
            {
                Capacity = 512,
                PerAddress = 64,
                // TLS has its own 10 s deadline; this one covers SSH or a tunnel inside it until they authenticate.
                Deadline = TimeSpan.FromMinutes(2),
                Name = _name,
            },
            loggerFactory.CreateLogger<UnauthenticatedConnectionBudget>());
    }

    /// <summary>The connection's place in the budget while it has not authenticated; null once it has.</summary>
    public static UnauthenticatedConnection? WaitingOf(ConnectionContext connection) =>
        connection.Items.TryGetValue(typeof(WebListenerGuard), out var waiting) ? waiting as UnauthenticatedConnection : null;

    public ConnectionDelegate Admit(ConnectionDelegate next) => async connection =>
    {
        using var slot = _limiter.TryAcquireConnection(connection.RemoteEndPoint, _name);
        if (slot is null)
        {
            connection.Abort(new ConnectionAbortedException(_limiter.ConnectionRefusal));
            return;
        }

        using var waiting = _budget.Admit(connection.RemoteEndPoint, () => connection.Abort(new ConnectionAbortedException("evicted before authenticating")));
        connection.Items[typeof(WebListenerGuard)] = waiting;
        await next(connection);
    };

    public ConnectionDelegate HandshakeDone(ConnectionDelegate next) => connection =>
    {
        var protocol = connection.Features.Get<TlsProtocolFeature>()?.ApplicationProtocol ?? ReadOnlyMemory<byte>.Empty;
        if (!protocol.Span.SequenceEqual(AlpnProtocols.ProxySsh.Protocol.Span) && !protocol.Span.SequenceEqual(AlpnProtocols.ReverseTunnel.Protocol.Span))
        {
            WaitingOf(connection)?.Authenticated();
        }

        return next(connection);
    };
}

using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Ssh.Authentication;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Server;

/// <summary>
/// An SSH server: runs the protocol on connections it is handed (<see cref="RunConnectionAsync"/>), or on
/// TCP connections through an <see cref="SshListener"/>. Any failure of one connection closes that connection
/// with a logged reason and affects no other.
/// </summary>
public sealed partial class SshServer
{
    private readonly TransportSettings _settings;
    private readonly HostKeySet _hostKeys;
    private readonly SshAuthenticationHandler _authenticate;
    private readonly Func<SshSessionContext, ISshSessionHandler> _sessionHandlerFactory;
    private readonly Func<SshConnectionContext, ISshForwardingHandler>? _forwardingHandlerFactory;
    private readonly Action<SshConnectionContext>? _connectionStarted;
    private readonly Func<string, EndPoint?>? _relayPreface;
    private readonly ConnectionLimits _limits;
    private readonly ILogger _logger;
    private readonly ILogger _transportLogger;
    private readonly ILogger _authLogger;
    private readonly ILogger _connectionLogger;

    public SshServer(SshServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _authenticate = options.Authenticate ?? throw new ArgumentException("An authentication callback is required.", nameof(options));
        _sessionHandlerFactory = options.SessionHandlerFactory ?? throw new ArgumentException("A session handler factory is required.", nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.HandshakeTimeout, TimeSpan.Zero, nameof(options.HandshakeTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAuthenticationAttempts, 1, nameof(options.MaxAuthenticationAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxUnauthenticatedConnections, 1, nameof(options.MaxUnauthenticatedConnections));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxUnauthenticatedConnectionsPerAddress, 1, nameof(options.MaxUnauthenticatedConnectionsPerAddress));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxChannelsPerConnection, 1, nameof(options.MaxChannelsPerConnection));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxForwardingChannelsPerConnection, 1, nameof(options.MaxForwardingChannelsPerConnection));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RekeyBytes, 64 * 1024, nameof(options.RekeyBytes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RekeyInterval, TimeSpan.Zero, nameof(options.RekeyInterval));

        _hostKeys = new HostKeySet(options.HostKeys, options.HostCertificates);
        _settings = new TransportSettings
        {
            KeyExchangeAlgorithms = TransportSettings.Validate(options.KeyExchangeAlgorithms, SshServerOptions.SupportedKeyExchangeAlgorithms, "key exchange algorithm"),
            Ciphers = TransportSettings.Validate(options.Ciphers, SshServerOptions.SupportedCiphers, "cipher"),
            Macs = TransportSettings.Validate(options.MacAlgorithms, SshServerOptions.SupportedMacAlgorithms, "MAC"),
            RekeyBytes = options.RekeyBytes,
            RekeyInterval = options.RekeyInterval,
            TimeProvider = options.TimeProvider,
        };
        HandshakeTimeout = options.HandshakeTimeout;
        MaxAuthenticationAttempts = options.MaxAuthenticationAttempts;
        MaxUnauthenticatedConnections = options.MaxUnauthenticatedConnections;
        MaxUnauthenticatedConnectionsPerAddress = options.MaxUnauthenticatedConnectionsPerAddress;
        ConnectionLimiter = options.ConnectionLimiter;
        TimeProvider = options.TimeProvider;
        _forwardingHandlerFactory = options.ForwardingHandlerFactory;
        _connectionStarted = options.ConnectionStarted;
        _relayPreface = options.RelayPreface;
        _limits = new ConnectionLimits(options.MaxChannelsPerConnection, options.MaxForwardingChannelsPerConnection);
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<SshServer>();
        _transportLogger = loggerFactory.CreateLogger<SshTransport>();
        _authLogger = loggerFactory.CreateLogger<UserAuthService>();
        _connectionLogger = loggerFactory.CreateLogger<ConnectionService>();
        LoggerFactory = loggerFactory;
    }

    internal TimeSpan HandshakeTimeout { get; }

    internal int MaxAuthenticationAttempts { get; }

    internal int MaxUnauthenticatedConnections { get; }

    internal int MaxUnauthenticatedConnectionsPerAddress { get; }

    internal ConnectionLimiter? ConnectionLimiter { get; }

    internal TimeProvider TimeProvider { get; }

    internal ILoggerFactory LoggerFactory { get; }

    /// <summary>
    /// Serves one connection until it ends; disposes <paramref name="stream"/>. Protocol errors, timeouts and
    /// disconnects end the connection quietly (they are logged); cancellation sends a DISCONNECT and returns.
    /// The stream's reads must honour cancellation for the handshake deadline to apply.
    /// </summary>
    public Task RunConnectionAsync(Stream stream, EndPoint? remoteEndPoint, CancellationToken cancellationToken) =>
        RunConnectionAsync(stream, remoteEndPoint, onAuthenticated: null, cancellationToken);

    /// <summary>
    /// As <see cref="RunConnectionAsync(Stream, EndPoint?, CancellationToken)"/>, calling <paramref name="onAuthenticated"/>
    /// once the client has authenticated (e.g. to take it out of an <see cref="UnauthenticatedConnectionBudget"/>).
    /// </summary>
    public Task RunConnectionAsync(Stream stream, EndPoint? remoteEndPoint, Action? onAuthenticated, CancellationToken cancellationToken) =>
        RunConnectionAsync(stream, remoteEndPoint, onAuthenticated, onVouched: null, cancellationToken);

    /// <summary>
    /// As above; <paramref name="onVouched"/> runs when a relay's preface (<see cref="SshServerOptions.RelayPreface"/>)
    /// vouched for the client, before the key exchange, and the connection is served as from the client's address.
    /// </summary>
    internal async Task RunConnectionAsync(Stream stream, EndPoint? remoteEndPoint, Action? onAuthenticated, Action? onVouched, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var remote = remoteEndPoint?.ToString() ?? "unknown";
        EndPoint? vouched = null;
        var keyExchange = new ServerKeyExchange(_hostKeys, PublicKeyAlgorithms.SignatureAlgorithms, _relayPreface is not { } check ? null : line =>
        {
            vouched = check(line);
            if (vouched is null)
            {
                return false;
            }

            LogRelayVouched(_logger, remote, vouched.ToString() ?? "");
            onVouched?.Invoke();
            return true;
        });
        await using var transport = new SshTransport(stream, _settings, keyExchange, _transportLogger);
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        handshake.CancelAfter(HandshakeTimeout);
        var authenticated = false;
        try
        {
            await transport.HandshakeAsync(handshake.Token).ConfigureAwait(false);
            if (vouched is not null)
            {
                // The relay's statement replaces its own address: source-address pins, SSH_CONNECTION and audit see the client.
                remoteEndPoint = vouched;
                remote = vouched.ToString() ?? remote;
            }

            var auth = new UserAuthService(transport, _authenticate, MaxAuthenticationAttempts, remoteEndPoint, _authLogger);
            var user = await auth.RunAsync(handshake.Token).ConfigureAwait(false);
            authenticated = true;
            onAuthenticated?.Invoke();
            using var userSlot = ConnectionLimiter?.TryAcquireUser(UserKey(user), remote);
            if (ConnectionLimiter is not null && userSlot is null)
            {
                await transport.TryDisconnectAsync(SshDisconnectReason.TooManyConnections, ConnectionLimiter.UserRefusal).ConfigureAwait(false);
                return;
            }

            var connection = new ConnectionService(transport, user, _limits, _sessionHandlerFactory, _forwardingHandlerFactory, remoteEndPoint, _connectionLogger)
            {
                Started = _connectionStarted,
            };
            await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SshProtocolException ex)
        {
            LogProtocolViolation(_logger, remote, ex.Reason, ex.Message);
            await transport.TryDisconnectAsync(ex.Reason, ex.Message).ConfigureAwait(false);
        }
        catch (SshPeerDisconnectedException ex)
        {
            LogPeerDisconnected(_logger, remote, ex.Reason, ex.Description);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogShutdown(_logger, remote);
            await transport.TryDisconnectAsync(SshDisconnectReason.ByApplication, "The server is shutting down.").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!authenticated && handshake.IsCancellationRequested)
        {
            LogHandshakeTimeout(_logger, remote, HandshakeTimeout);
            await transport.TryDisconnectAsync(SshDisconnectReason.ByApplication, "Authentication timed out.").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ObjectDisposedException)
        {
            LogConnectionLost(_logger, remote, ex.Message);
        }
        catch (Exception ex)
        {
            // A bug must cost one connection, never the listener.
            LogUnexpectedFailure(_logger, ex, remote);
            await transport.TryDisconnectAsync(SshDisconnectReason.ByApplication, "Internal server error.").ConfigureAwait(false);
        }
        finally
        {
            // Nothing reads any more: the receive cipher can go before the stream.
            transport.ReleaseReader();
        }
    }

    /// <summary>
    /// Sends a client this server will not serve our identification and a DISCONNECT saying why, without a key
    /// exchange, so that OpenSSH prints the reason; then closes. Bounded: a client that neither reads nor closes
    /// is cut after a few seconds.
    /// </summary>
    internal async Task RefuseAsync(Stream stream, string description)
    {
        await using var transport = new SshTransport(stream, _settings, new ServerKeyExchange(_hostKeys, PublicKeyAlgorithms.SignatureAlgorithms), _transportLogger);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await transport.RefuseAsync(SshDisconnectReason.TooManyConnections, description, timeout.Token).ConfigureAwait(false);

        // Read what the client sent until it closes, so that our close is a FIN and not a reset that could
        // discard the DISCONNECT before the client reads it.
        var sink = new byte[4096];
        try
        {
            for (var total = 0; total < 64 * 1024;)
            {
                var read = await stream.ReadAsync(sink, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Gone or too slow: closing now is all that is left.
        }
    }

    /// <summary>Who counts as one user for max_users: the Teleport user a certificate names, else the login.</summary>
    private static string UserKey(AuthenticatedUser user) =>
        user.Certificate is { KeyId.Length: > 0 } certificate ? certificate.KeyId : user.UserName;
}

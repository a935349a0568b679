using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// An authenticated SSH client connection over any stream (TCP, TLS, or a channel of another SSH connection):
/// sessions (exec, shell, subsystem), <c>direct-tcpip</c> tunnels, keep-alives and re-keying. Create it with
/// <see cref="ConnectAsync(Stream, SshClientOptions, CancellationToken)"/>; disposing it disconnects.
/// </summary>
public sealed partial class SshClient : IAsyncDisposable
{
    private readonly SshTransport _transport;
    private readonly ClientKeyExchange _keyExchange;
    private readonly ClientConnection _connection;

    private SshClient(SshTransport transport, ClientKeyExchange keyExchange, ClientConnection connection)
    {
        _transport = transport;
        _keyExchange = keyExchange;
        _connection = connection;
    }

    /// <summary>The server's identification string, e.g. <c>SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3</c>.</summary>
    public string ServerVersion => _transport.ServerVersion;

    /// <summary>The verified host key (and host certificate) of the server.</summary>
    public SshServerHostKey HostKey => _keyExchange.HostKey!;

    /// <summary>The algorithms of the latest key exchange.</summary>
    public SshNegotiatedAlgorithms Algorithms => SshNegotiatedAlgorithms.From(_transport.Negotiated!);

    /// <summary>Completed key exchanges: 1 after connecting, more after each re-exchange.</summary>
    public int KeyExchangeCount => _transport.KeyExchangeCount;

    /// <summary>
    /// Completes when the connection ends: with null when this client closed it, otherwise with why it ended
    /// (server disconnect, lost stream, protocol error, keep-alive timeout). Never faults.
    /// </summary>
    public Task<SshConnectionException?> Closed => _connection.Closed;

    /// <summary>
    /// Connects over <paramref name="stream"/>, which the client owns from now on: version exchange, key exchange,
    /// host key verification, user authentication. Failures are <see cref="SshHostKeyRejectedException"/>,
    /// <see cref="SshAuthenticationException"/> or <see cref="SshConnectionException"/>, with the stream disposed.
    /// </summary>
    public static Task<SshClient> ConnectAsync(Stream stream, SshClientOptions options, CancellationToken cancellationToken = default) =>
        ConnectAsync(stream, options, hostName: null, cancellationToken);

    /// <summary>Connects over TCP to <paramref name="host"/>:<paramref name="port"/>; <see cref="SshClientOptions.HostName"/> defaults to <paramref name="host"/>.</summary>
    public static async Task<SshClient> ConnectAsync(string host, int port, SshClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(host);
        Settings(options, options.HostName.Length == 0 ? host : null); // refuse bad options before connecting
        var tcp = new TcpClient { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await tcp.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            tcp.Dispose();
            var detail = ex is SocketException ? ex.Message : $"timed out after {options.ConnectTimeout}";
            throw new SshConnectionException($"Cannot connect to {host}:{port}: {detail}", SshDisconnectReason.ConnectionLost, ex);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }

        return await ConnectAsync(tcp.GetStream(), options, options.HostName.Length == 0 ? host : null, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<SshClient> ConnectAsync(Stream stream, SshClientOptions options, string? hostName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ClientSettings settings;
        try
        {
            settings = Settings(options, hostName);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        hostName = settings.HostName;
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<SshClient>();
        var keyExchange = new ClientKeyExchange(settings, loggerFactory.CreateLogger<ClientKeyExchange>());
        var transport = new SshTransport(stream, settings.Transport, keyExchange, loggerFactory.CreateLogger<SshTransport>());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await transport.HandshakeAsync(timeout.Token).ConfigureAwait(false);
            var authentication = new ClientAuthentication(transport, keyExchange, loggerFactory.CreateLogger<ClientAuthentication>());
            await authentication.RunAsync(options.UserName, options.PrivateKey, options.Certificate, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var failure = ex switch
            {
                OperationCanceledException when cancellationToken.IsCancellationRequested => null,
                OperationCanceledException => new SshConnectionException($"Connecting to '{hostName}' timed out after {options.ConnectTimeout}.", innerException: ex),
                _ => Translate(ex),
            };
            LogConnectFailed(logger, hostName, failure?.Message ?? "cancelled");
            var reason = failure?.DisconnectReason ?? SshDisconnectReason.ByApplication;
            if (ex is not SshPeerDisconnectedException and not EndOfStreamException)
            {
                await transport.TryDisconnectAsync(reason, failure?.Message ?? "Cancelled by the client.").ConfigureAwait(false);
            }

            await transport.DisposeAsync().ConfigureAwait(false);
            transport.ReleaseReader();
            if (failure is null)
            {
                throw;
            }

            throw failure;
        }

        var connection = new ClientConnection(transport, options.TimeProvider, loggerFactory.CreateLogger<ClientConnection>());
        connection.Start(options.KeepAliveInterval, options.KeepAliveCountMax);
        LogConnected(logger, options.UserName, hostName, transport.ServerVersion);
        return new SshClient(transport, keyExchange, connection);
    }

    /// <summary>Opens a "session" channel.</summary>
    public async Task<SshSession> OpenSessionAsync(CancellationToken cancellationToken = default)
    {
        var channel = await _connection.OpenChannelAsync("session", default, cancellationToken).ConfigureAwait(false);
        return new SshSession(channel);
    }

    /// <summary>Runs <paramref name="command"/> with <paramref name="input"/> as its stdin and collects its output.</summary>
    public async Task<SshCommandResult> RunCommandAsync(string command, ReadOnlyMemory<byte> input = default, CancellationToken cancellationToken = default)
    {
        await using var session = await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        await session.ExecAsync(command, cancellationToken).ConfigureAwait(false);
        var output = new MemoryStream();
        var error = new MemoryStream();
        var reading = Task.WhenAll(
            session.StandardOutput.CopyToAsync(output, cancellationToken),
            session.StandardError.CopyToAsync(error, cancellationToken));
        try
        {
            await session.StandardInput.WriteAsync(input, cancellationToken).ConfigureAwait(false);
            await session.CloseInputAsync().ConfigureAwait(false);
        }
        catch (IOException) when (!reading.IsFaulted)
        {
            // The command ended without reading all of its input, like a closed pipe.
        }

        await reading.ConfigureAwait(false);
        var status = await session.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return new SshCommandResult(status, output.ToArray(), error.ToArray());
    }

    /// <summary>
    /// Opens a <c>direct-tcpip</c> channel (RFC 4254 §7.2): the server connects to <paramref name="host"/>:<paramref name="port"/>
    /// and the returned stream carries that connection. Refusal is an <see cref="SshChannelOpenException"/>.
    /// </summary>
    public async Task<SshChannelStream> OpenDirectTcpIpAsync(
        string host, int port, string originatorAddress = "127.0.0.1", int originatorPort = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var data = new SshWriter(64 + host.Length)
            .WriteString(host)
            .WriteUInt32((uint)port)
            .WriteString(originatorAddress)
            .WriteUInt32((uint)originatorPort)
            .ToArray();
        var channel = await _connection.OpenChannelAsync("direct-tcpip", data, cancellationToken).ConfigureAwait(false);
        return new SshChannelStream(channel);
    }

    /// <summary>Sends <c>keepalive@openssh.com</c> and waits for the server's answer (success or failure both prove it alive).</summary>
    public Task SendKeepAliveAsync(CancellationToken cancellationToken = default) =>
        _connection.SendGlobalRequestAsync("keepalive@openssh.com", wantReply: true, default, cancellationToken);

    /// <summary>Starts a key re-exchange now; it completes in the background while traffic continues.</summary>
    public Task RekeyAsync(CancellationToken cancellationToken = default) => _transport.RequestRekeyAsync(cancellationToken).AsTask();

    /// <summary>Sends DISCONNECT and closes the connection; open channels end.</summary>
    public Task DisconnectAsync() => _connection.CloseAsync();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>What an exception from the transport means to a caller of the client.</summary>
    internal static SshConnectionException Translate(Exception ex) => ex switch
    {
        SshConnectionException connection => connection,
        SshPeerDisconnectedException peer => new SshConnectionException($"The server disconnected ({peer.Reason}): {peer.Description}", peer.Reason, ex),
        SshProtocolException protocol => new SshConnectionException($"SSH protocol error: {protocol.Message}", protocol.Reason, ex),
        EndOfStreamException => new SshConnectionException("The server closed the connection.", SshDisconnectReason.ConnectionLost, ex),
        IOException or ObjectDisposedException => new SshConnectionException($"The connection was lost: {ex.Message}", SshDisconnectReason.ConnectionLost, ex),
        _ => new SshConnectionException($"The SSH connection failed: {ex.Message}", SshDisconnectReason.ByApplication, ex),
    };
}

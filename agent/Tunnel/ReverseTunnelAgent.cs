using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Access.Relay;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Ssh.Authentication;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Agent.Tunnel;

/// <summary>
/// Keeps one reverse tunnel from an agent (a node, or an app service) to a proxy: dials out, serves the tunnel as an SSH server with the node's
/// host certificate (the gateway authenticates with its Proxy host certificate from the same host CA), and dials
/// again with backoff (up to 0.5 s doubling to 8 s, full jitter; to 30 s after a busy answer) whenever it drops, when
/// the proxy says it is busy (it bounds the handshakes in flight after a restart), or when nothing came from the proxy for
/// <paramref name="silenceLimit"/> (a hung proxy: <see cref="SilenceWatch"/>).
/// What the proxy may open on the tunnel is the <paramref name="forwarding"/> handler's to decide (given the proxy's address).
/// </summary>
internal sealed partial class ReverseTunnelAgent(TunnelDialer dialer, Func<NodeIdentity> identity, Func<System.Net.EndPoint?, ISshForwardingHandler> forwarding, ILoggerFactory loggers, TimeSpan? silenceLimit = null, TimeProvider? time = null)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(8);

    /// <summary>
    /// The widest backoff window after the proxy said it is busy: it is alive but has more agents than it can take,
    /// so the agents that keep being turned away spread their dials over longer (measured at 10,000 agents after a
    /// proxy restart: with the 8 s window of other failures, over 1,000 refused dials a second took the CPU that
    /// the handshakes needed, on both sides).
    /// </summary>
    private static readonly TimeSpan BusyMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>A tunnel that stayed up this long was healthy: the next reconnect starts from the first delay again.</summary>
    private static readonly TimeSpan Healthy = TimeSpan.FromSeconds(30);

    private readonly ILogger _logger = loggers.CreateLogger<ReverseTunnelAgent>();

    /// <summary>Connected tunnels so far; the first one completes <see cref="Connected"/>.</summary>
    public int Connections { get; private set; }

    public Task Connected => _connected.Task;

    /// <summary>Whether a tunnel to the proxy is up now (false while dialing again after a drop).</summary>
    public bool IsUp => Volatile.Read(ref _up) != 0;

    /// <summary>Dials the proxy refused as busy so far.</summary>
    public int Refusals { get; private set; }

    private int _up;

    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task RunAsync(CancellationToken stopping)
    {
        var attempt = 0;
        while (!stopping.IsCancellationRequested)
        {
            var started = Stopwatch.StartNew();
            var busy = false;
            try
            {
                var limit = silenceLimit ?? SilenceWatch.DefaultLimit;
                await using var stream = new SilenceWatch(await dialer.ConnectAsync(TunnelDialer.NodePreface, stopping), time ?? TimeProvider.System);
                using var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                var silent = stream.WatchAsync(limit, connection.Token);
                var (line, rest) = await TunnelDialer.ReadLineAsync(stream, connection.Token);
                if (line == TunnelDialer.BusyLine)
                {
                    throw new TunnelBusyException();
                }

                var proxy = SshCertificate.Parse(line);
                var server = new SshServer(BuildOptions(identity(), proxy));
                Connections++;
                Volatile.Write(ref _up, 1);
                LogConnected(_logger, dialer.ProxyServer, dialer.Address?.ToString() ?? "");
                _connected.TrySetResult();
                try
                {
                    await server.RunConnectionAsync(rest, null, connection.Token);
                }
                catch (Exception) when (silent.IsCompletedSuccessfully && silent.Result)
                {
                }
                finally
                {
                    Volatile.Write(ref _up, 0);
                }

                await connection.CancelAsync();
                LogDropped(_logger, dialer.ProxyServer, await silent
                    ? $"nothing came from the proxy for {limit.TotalSeconds:0.#} s (keep-alives missed); dialing again"
                    : "the proxy closed the tunnel");
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (TunnelBusyException)
            {
                // The address is right and the proxy alive: only later. No new discovery, which would cost the proxy more.
                Refusals++;
                busy = true;
                LogBusy(_logger, dialer.ProxyServer);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogDropped(_logger, dialer.ProxyServer, ex.Message);
                dialer.Forget();
            }

            attempt = started.Elapsed > Healthy ? 0 : attempt + 1;
            var delay = Backoff.Delay(attempt, FirstDelay / 2, busy ? BusyMaxDelay : MaxDelay);
            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private SshServerOptions BuildOptions(NodeIdentity current, SshCertificate proxy)
    {
        var validator = new SshCertificateValidator([ProxyHostCertificate.HostCaKey(current.HostCa)], TimeSpan.FromMinutes(1));
        var refusal = ProxyHostCertificate.Refusal(proxy, validator);
        var options = new SshServerOptions
        {
            LoggerFactory = loggers,
            MaxAuthenticationAttempts = 2,
            MaxUnauthenticatedConnections = 1,
            // Each user connection to the node is one channel; direct-tcpip channels count against this limit.
            MaxForwardingChannelsPerConnection = 256,
            SessionHandlerFactory = _ => new NoSessions(),
            Authenticate = (request, _) => ValueTask.FromResult(
                refusal is not null ? SshAuthenticationResult.Reject(refusal)
                : request.PublicKey.Equals(proxy.PublicKey) ? SshAuthenticationResult.Accept(proxy.KeyId)
                : SshAuthenticationResult.Reject("the login key is not the one the proxy's certificate certifies")),
            ForwardingHandlerFactory = context => forwarding(context.RemoteEndPoint),
        };
        options.HostKeys.Add(current.HostKey());
        options.HostCertificates.Add(current.HostCertificate());
        return options;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reverse tunnel to proxy {Proxy} is up, at {Address}")]
    private static partial void LogConnected(ILogger logger, string proxy, string address);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Proxy {Proxy} is busy with other tunnel handshakes; dialing again after a backoff")]
    private static partial void LogBusy(ILogger logger, string proxy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reverse tunnel to proxy {Proxy} is down: {Reason}")]
    private static partial void LogDropped(ILogger logger, string proxy, string reason);
}

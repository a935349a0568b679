using System.Net.Sockets;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Agent.Auth;

/// <summary>
/// The node's connection to the auth service: mutual TLS with its host identity, the server checked against the
/// cluster CA (the channel is authclient's, as tctl's). The TCP connection is made by <see cref="Connect"/>, which a reverse tunnel can replace. Calls are
/// retried with backoff; a failed call never ends a running session.
/// </summary>
internal sealed partial class NodeAuthClient : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly string _authServer;
    private readonly ILogger _logger;
    private readonly System.Threading.Lock _gate = new();
    private GrpcChannel? _channel;
    private AuthService.AuthServiceClient? _client;
    private NodeIdentity _identity;

    public NodeAuthClient(string authServer, NodeIdentity identity, ILogger<NodeAuthClient> logger)
    {
        _authServer = authServer;
        _identity = identity;
        _logger = logger;
    }

    /// <summary>Opens the byte stream to the auth server; by default a TCP connection to the endpoint asked for.</summary>
    public Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect { get; set; } = ConnectTcp;

    public NodeIdentity Identity
    {
        get
        {
            lock (_gate)
            {
                return _identity;
            }
        }
    }

    /// <summary>Switches to renewed certificates: new calls use a new channel; calls in flight finish on the old one.</summary>
    public void UseIdentity(NodeIdentity identity)
    {
        lock (_gate)
        {
            _identity = identity;
            _client = null;
            // The old channel is left to finish its calls; it holds no more than a connection.
            _channel = null;
        }
    }

    public AuthService.AuthServiceClient Client
    {
        get
        {
            lock (_gate)
            {
                if (_client is null)
                {
                    _channel = CreateChannel(_identity);
                    _client = new AuthService.AuthServiceClient(_channel.Intercept(new IdempotentCallRetry()));
                }

                return _client;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> until it succeeds, retrying transport failures and unavailability with backoff;
    /// after <paramref name="maxAttempts"/> (when given) the last failure is thrown. Refusals (permission denied,
    /// bad request) are not retried.
    /// </summary>
    public async Task<T> CallAsync<T>(string what, Func<AuthService.AuthServiceClient, CallOptions, Task<T>> call, CancellationToken cancellationToken, int? maxAttempts = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var options = new CallOptions(deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
                return await call(Client, options);
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested && (maxAttempts is null || attempt + 1 < maxAttempts))
            {
                var delay = Backoff.Delay(attempt, FirstRetry, MaxRetry);
                LogRetrying(what, delay.TotalSeconds, Describe(ex));
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    public static bool IsTransient(Exception ex) => ex switch
    {
        RpcException rpc => rpc.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal
            or StatusCode.Unknown or StatusCode.ResourceExhausted or StatusCode.Aborted or StatusCode.Cancelled,
        HttpRequestException or IOException or SocketException => true,
        _ => false,
    };

    public static string Describe(Exception ex) => ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message;

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _channel?.Dispose();
            _channel = null;
            _client = null;
        }

        return ValueTask.CompletedTask;
    }

    private GrpcChannel CreateChannel(NodeIdentity identity) =>
        // The cluster CA is the only root of trust; the dialled name may be an IP or a tunnel.
        AuthClientFactory.CreateChannel(_authServer, identity.ClientCertificate(), [identity.TlsCaCertificate()], (context, token) => Connect(context, token), longLived: true);

    private static async ValueTask<Stream> ConnectTcp(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} failed, retrying in {Seconds:F1}s: {Reason}")]
    private partial void LogRetrying(string what, double seconds, string reason);
}

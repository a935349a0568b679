using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Gateway.Draining;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Gateway.Identity;
using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Ssh.Authentication;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Gateway.SshProxy;

/// <summary>
/// The SSH proxy on proxy_service.listen_addr (3023). It accepts any user certificate from the cluster's user CA
/// whatever the login name, because it only relays: the node checks the login. Clients reach nodes with the
/// <c>proxy:</c> subsystem (tsh) or direct-tcpip (OpenSSH <c>-J</c>).
/// </summary>
internal sealed partial class SshProxyService(
    ProxyIdentityProvider identities, GatewayOptions options, ProxyConnections connections, ConnectionLimiter limiter, ProxyDrain drain,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<SshProxyService>();

    /// <summary>The SSH server, for the multiplexed web port to hand ALPN <c>teleport-proxy-ssh</c> connections to.</summary>
    public TaskCompletionSource<SshServer> Server { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed once the listener accepts connections (or at once when there is no SSH listener).</summary>
    public TaskCompletionSource Listening { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var identity = await identities.GetAsync(stoppingToken);
        var validator = new SshCertificateValidator([identity.UserCa], TimeSpan.FromMinutes(1));
        var server = new SshServer(BuildOptions(identity, validator));
        Server.TrySetResult(server);
        if (options.SshListenEndpoint is not { } endpoint)
        {
            Listening.TrySetResult();
            return;
        }

        await using var listener = new SshListener(server, endpoint);
        try
        {
            listener.Start();
        }
        catch (Exception ex)
        {
            // A taken port: whoever waits for the listener hears why instead of waiting forever.
            Listening.TrySetException(ex);
            throw;
        }

        LogListening(_logger, listener.LocalEndPoint.ToString());
        Listening.TrySetResult();
        using var draining = drain.StopAccepting.Register(listener.StopAccepting);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: disposing the listener closes it.
        }
    }

    private SshServerOptions BuildOptions(ProxyIdentity identity, SshCertificateValidator validator)
    {
        var serverOptions = new SshServerOptions
        {
            LoggerFactory = loggerFactory,
            // The proxy relays many channels per connection (tsh opens one per session); sshd's defaults are low.
            MaxChannelsPerConnection = 64,
            MaxUnauthenticatedConnections = options.SshMaxStartups,
            // One address (a flood, or a NAT of many users) churns its own share, never the rest of the budget.
            MaxUnauthenticatedConnectionsPerAddress = options.SshMaxStartupsPerAddress,
            ConnectionLimiter = limiter,
            Authenticate = (request, _) => ValueTask.FromResult(Authenticate(request, validator)),
            SessionHandlerFactory = context =>
                new ProxySessionHandler(connections, (ProxyUser)context.Connection.AuthenticationState!, identity.ClusterName),
            ForwardingHandlerFactory = context =>
                new ProxyForwardingHandler(connections, (ProxyUser)context.AuthenticationState!, _logger),
        };
        serverOptions.HostKeys.Add(identity.HostKey);
        serverOptions.HostCertificates.Add(identity.HostCertificate);
        return serverOptions;
    }

    private static SshAuthenticationResult Authenticate(SshAuthenticationRequest request, SshCertificateValidator validator)
    {
        if (request.Certificate is not { } certificate)
        {
            return SshAuthenticationResult.Reject("the proxy accepts user certificates only (tsh login)");
        }

        // Any listed principal: the proxy does not log in, the node decides the login.
        var principal = certificate.Principals.Count > 0 ? certificate.Principals[0] : request.UserName;
        var result = validator.ValidateUser(certificate, principal, request.RemoteAddress);
        if (!result.IsValid)
        {
            return SshAuthenticationResult.Reject(result.ToString() ?? "invalid certificate");
        }

        return certificate.KeyId.Length == 0
            ? SshAuthenticationResult.Reject("the certificate names no Teleport user (empty key id)")
            : SshAuthenticationResult.Accept(ProxyUser.FromCertificate(certificate, ProxyConnections.AddressOf(request.RemoteEndPoint)) with
            {
                JoiningSession = request.UserName == Access.Sessions.SessionJoin.Principal,
            });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SSH proxy listening on {Endpoint}")]
    private static partial void LogListening(ILogger logger, string endpoint);
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Agent.Hosting;

/// <summary>
/// The node's SSH port (ssh_service.listen_addr), the last of its hosted services to start and the first to stop:
/// the node accepts logins only once everything behind them runs, and stops accepting before its loops end.
/// </summary>
internal sealed partial class NodeSshListener(NodeService node, ILogger<NodeSshListener> logger) : IHostedService
{
    private SshListener? _listener;

    public IPEndPoint? ListenEndpoint => _listener?.LocalEndPoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = node.Options.ListenEndpoint;
        try
        {
            _listener = new SshListener(node.Server, endpoint);
            _listener.Start();
        }
        catch (SocketException ex)
        {
            throw new NodeStartException($"ssh_service cannot listen on {endpoint}: {ex.Message}", ex);
        }

        LogServing(node.Options.NodeName, node.HostId, _listener.LocalEndPoint);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeName} ({HostId}) is serving SSH on {Endpoint}")]
    private partial void LogServing(string nodeName, string hostId, IPEndPoint endpoint);
}

using System.Net;
using Microsoft.Extensions.Logging;
using Orleans.Messaging;
using Teleport.Orleans.Contracts.Membership;

namespace Teleport.Orleans.Gateway.Hosting;

/// <summary>
/// The auth pool's Orleans gateways as the auth API lists them (ListAuthGateways, asked through teleport.auth_server,
/// the private load balancer): a proxy needs no backend credentials to find the silos. Orleans asks again every
/// refresh period and at once when no gateway it knows is left alive, so a proxy whose silos all died asks the load
/// balancer, which reaches whichever silo is up.
/// </summary>
internal sealed partial class AuthGatewayListProvider(
    Func<CancellationToken, Task<IReadOnlyList<IPEndPoint>>> listGateways, ILogger<AuthGatewayListProvider> logger) : IGatewayListProvider
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private IList<Uri> _last = [];

    /// <summary>
    /// Orleans keeps a gateway it saw fail out of rotation this long even when the list names it again. Orleans matches
    /// gateways by address only, so a long memory would keep an auth server restarted at the same address unused
    /// while a rolling restart stops the next one (both proxies then knew only dead gateways and sent to a leaving one).
    /// </summary>
    public TimeSpan MaxStaleness => GatewayDiscovery.FailedGatewayMemory;

    [Obsolete("Required by IGatewayListProvider; the list is always refreshable.")]
    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    public async Task<IList<Uri>> GetGateways()
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        try
        {
            var endpoints = await listGateways(timeout.Token);
            _last = [.. endpoints.Select(e => new Uri($"gwy.tcp://{FormatAddress(e.Address)}:{e.Port}/0"))];
            LogListed(_last.Count, string.Join(", ", endpoints));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Keep what was known: the silos may still be up while the load balancer or the auth API is not.
            LogListFailed(ex.Message, _last.Count);
        }

        return _last;
    }

    private static string FormatAddress(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    [LoggerMessage(Level = LogLevel.Debug, Message = "The auth API lists {Count} Orleans gateways: {Endpoints}")]
    private partial void LogListed(int count, string endpoints);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list the auth pool's Orleans gateways through the auth server: {Reason}; using the {Count} known")]
    private partial void LogListFailed(string reason, int count);
}

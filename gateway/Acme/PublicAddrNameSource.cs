using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Gateway.Acme;

/// <summary>The proxy's public_addr host names.</summary>
internal sealed class PublicAddrNameSource(GatewayOptions options) : IAcmeNameSource
{
    public ValueTask<IReadOnlyCollection<string>> GetNamesAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyCollection<string>>(options.Acme?.Names ?? []);
}

using Teleport.Orleans.Gateway.Apps;

namespace Teleport.Orleans.Gateway.Acme;

/// <summary>
/// Each registered application's host name (<c>NAME.PUBLIC_HOST</c> or its public_addr), so apps are served with an
/// ACME certificate too, as Teleport fetches one per application. The catalog's list follows registrations, and the
/// certificate manager asks on every check.
/// </summary>
internal sealed class AppNameSource(AppCatalog catalog) : IAcmeNameSource
{
    public ValueTask<IReadOnlyCollection<string>> GetNamesAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyCollection<string>>(
            [.. catalog.Apps.Select(app => catalog.PublicAddrOf(app).Split(':')[0].ToLowerInvariant()).Distinct(StringComparer.Ordinal)]);
}

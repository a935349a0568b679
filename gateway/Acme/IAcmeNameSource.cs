namespace Teleport.Orleans.Gateway.Acme;

/// <summary>
/// Names the proxy needs ACME certificates for. Every registered source is asked on each check, so a source may
/// change its answer (applications registered or removed). Register more with
/// <c>services.AddSingleton&lt;IAcmeNameSource, ...&gt;()</c>.
/// </summary>
public interface IAcmeNameSource
{
    ValueTask<IReadOnlyCollection<string>> GetNamesAsync(CancellationToken cancellationToken);
}

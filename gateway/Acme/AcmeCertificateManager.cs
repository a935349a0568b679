using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Gateway.Acme;

/// <summary>
/// Keeps an ACME certificate for every name the sources give. Each check loads the cluster's certificates into
/// <see cref="AcmeCertificates"/> (so every proxy serves the same ones), and orders the missing, expiring (past
/// <see cref="AcmeOptions.RenewAt"/> of their lifetime) or other-directory ones while holding the cluster's ordering
/// lease, so one proxy orders at a time. A failed order waits before the name is tried again: the server's
/// Retry-After, or a delay doubling from <see cref="AcmeOptions.RetryInitial"/> to <see cref="AcmeOptions.RetryMax"/>.
/// </summary>
internal sealed partial class AcmeCertificateManager(
    GatewayOptions gateway,
    IGrainFactory grains,
    AcmeCertificates certificates,
    IEnumerable<IAcmeNameSource> sources,
    IHostApplicationLifetime lifetime,
    ILogger<AcmeCertificateManager> logger) : BackgroundService
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(10);
    private readonly AcmeOptions _options = gateway.Acme ?? throw new InvalidOperationException("proxy_service.acme is not enabled");
    private readonly string _holder = $"{gateway.NodeName}/{Guid.NewGuid():N}";
    private readonly Dictionary<string, (DateTimeOffset At, TimeSpan Delay)> _retry = new(StringComparer.OrdinalIgnoreCase);

    private string Directory => _options.DirectoryUri.ToString();

    private IAcmeAccountGrain Account => grains.GetGrain<IAcmeAccountGrain>(Directory);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The web port must listen before the ACME server can validate through it.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogCheckFailed(logger, ex.Message);
            }

            await Task.Delay(_options.CheckInterval, stoppingToken);
        }
    }

    /// <summary>One pass: load what the cluster has, order what is missing or due.</summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        var names = await NamesAsync(cancellationToken);
        certificates.SetPublicHosts(names);
        var due = new List<string>();
        foreach (var name in names)
        {
            var current = await grains.GetGrain<IAcmeCertificateGrain>(name).GetCertificate();
            if (current is not null && current.Directory == Directory)
            {
                Serve(current);
            }

            if (NeedsOrder(current) && RetryDue(name))
            {
                due.Add(name);
            }
        }

        if (due.Count == 0)
        {
            return;
        }

        if (!await Account.TryAcquireLease(_holder, LeaseDuration))
        {
            LogLeaseHeld(logger, string.Join(", ", due));
            return;
        }

        try
        {
            await OrderAsync(due, cancellationToken);
        }
        finally
        {
            await Account.ReleaseLease(_holder);
        }
    }

    private async Task OrderAsync(List<string> due, CancellationToken cancellationToken)
    {
        using var key = await AccountKeyAsync();
        using var client = new AcmeClient(_options.DirectoryUri, key, AcmeClient.Handler(_options.CaBundleFile));
        try
        {
            var url = await client.RegisterAsync(_options.Email, cancellationToken);
            await Account.SaveAccount(new AcmeAccount { KeyPem = key.ExportPkcs8PrivateKeyPem(), Url = url });
        }
        catch (AcmeProblem problem)
        {
            foreach (var name in due)
            {
                Failed(name, problem);
            }

            return;
        }

        foreach (var name in due)
        {
            var grain = grains.GetGrain<IAcmeCertificateGrain>(name);
            // Another proxy may have finished it between our check and our lease.
            if (await grain.GetCertificate() is { } fresh && fresh.Directory == Directory && !NeedsOrder(fresh))
            {
                Serve(fresh);
                continue;
            }

            try
            {
                var started = DateTimeOffset.UtcNow;
                var issued = await AcmeOrderer.ObtainAsync(client, key, name,
                    (identifier, keyAuthorization) => grains.GetGrain<IAcmeCertificateGrain>(identifier.ToLowerInvariant()).SetChallenge(keyAuthorization),
                    cancellationToken) with
                { Directory = Directory };
                await grain.SaveCertificate(issued);
                Serve(issued);
                _retry.Remove(name);
                LogObtained(logger, name, Directory, issued.NotAfter, (DateTimeOffset.UtcNow - started).TotalSeconds);
            }
            catch (AcmeProblem problem)
            {
                Failed(name, problem);
            }

            await Account.TryAcquireLease(_holder, LeaseDuration);
        }
    }

    private async Task<ECDsa> AccountKeyAsync()
    {
        var account = await Account.GetAccount();
        if (account is null)
        {
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            account = await Account.SaveAccount(new AcmeAccount { KeyPem = created.ExportPkcs8PrivateKeyPem() });
        }

        var key = ECDsa.Create();
        key.ImportFromPem(account.KeyPem);
        return key;
    }

    private void Serve(AcmeCertificate certificate)
    {
        if (certificates.Update(certificate))
        {
            LogServing(logger, certificate.Name, certificate.NotAfter);
        }
    }

    private bool NeedsOrder(AcmeCertificate? certificate)
    {
        if (certificate is null || certificate.Directory != Directory)
        {
            return true;
        }

        var lifetime = certificate.NotAfter - certificate.NotBefore;
        return DateTimeOffset.UtcNow >= certificate.NotBefore + (lifetime * _options.RenewAt);
    }

    private bool RetryDue(string name) => !_retry.TryGetValue(name, out var retry) || DateTimeOffset.UtcNow >= retry.At;

    private void Failed(string name, AcmeProblem problem)
    {
        var delay = _retry.TryGetValue(name, out var previous)
            ? TimeSpan.FromTicks(Math.Min(previous.Delay.Ticks * 2, _options.RetryMax.Ticks))
            : _options.RetryInitial;
        if (problem.RetryAfter is { } after && after > delay)
        {
            delay = after;
        }

        _retry[name] = (DateTimeOffset.UtcNow + delay, delay);
        LogOrderFailed(logger, name, problem.Message, delay.TotalSeconds);
    }

    private async Task<List<string>> NamesAsync(CancellationToken cancellationToken)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            foreach (var name in await source.GetNamesAsync(cancellationToken))
            {
                if (IPAddress.TryParse(name, out _) || name.Length == 0)
                {
                    LogNotDnsName(logger, name);
                    continue;
                }

                names.Add(name.TrimEnd('.').ToLowerInvariant());
            }
        }

        return [.. names];
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Authorities;
using Teleport.Orleans.Grains.Tests.Support;

namespace Teleport.Orleans.Grains.Tests.Authorities;

/// <summary>
/// A silo reads the cluster's TLS CA from the backend before it joins, to sign its own certificate for the internal
/// mutual TLS: what it reads must be the very CA the CA grain serves, whatever cluster name the silo was given.
/// </summary>
[Collection(AuthClusterCollection.Name)]
public sealed class SharedTlsAuthorityTests(AuthClusterFixture fixture)
{
    [Fact]
    public async Task Tls_authority_read_from_the_backend_is_the_one_the_ca_grain_serves()
    {
        var storage = fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.ClusterState);

        var read = await SharedTlsAuthority.LoadOrCreateAsync(storage, fixture.Grains, "another-name.example.com", fixture.Time, CancellationToken.None);
        var served = await fixture.Grains.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(CertAuthorityType.Tls)).GetInfo();

        Assert.Equal(served!.Fingerprint, read.Fingerprint);
        Assert.Equal(AuthClusterFixture.ClusterName, read.ClusterName);
        Assert.Equal(CertAuthorityType.Tls, read.Type);
    }

    [Fact]
    public async Task Reading_again_returns_the_same_keys_and_creates_nothing()
    {
        var storage = fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.ClusterState);

        var first = await SharedTlsAuthority.LoadOrCreateAsync(storage, fixture.Grains, AuthClusterFixture.ClusterName, fixture.Time, CancellationToken.None);
        var second = await SharedTlsAuthority.LoadOrCreateAsync(storage, fixture.Grains, AuthClusterFixture.ClusterName, fixture.Time, CancellationToken.None);

        Assert.Equal(first.PrivateKey, second.PrivateKey);
        Assert.Equal(first.Public, second.Public);
    }
}

using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Tests.Support;

namespace Teleport.Orleans.Grains.Tests.Cluster;

[Collection(AuthClusterCollection.Name)]
public sealed class ClusterGrainTests(AuthClusterFixture fixture)
{
    private IClusterGrain Cluster => fixture.Grains.GetGrain<IClusterGrain>(IClusterGrain.Key);

    [Fact]
    public async Task Restart_with_another_cluster_name_is_refused()
    {
        var error = await Assert.ThrowsAsync<AuthException>(() => Cluster.Bootstrap(new ClusterBootstrap { ClusterName = "other.example.com" }));

        Assert.Contains("cannot be changed", error.Message);
        Assert.Equal(AuthClusterFixture.ClusterName, (await Cluster.GetSettings()).ClusterName);
    }

    [Fact]
    public async Task Restart_without_a_preference_keeps_the_one_set_by_tctl()
    {
        await Cluster.SetAuthPreference(new AuthPreference { SecondFactor = SecondFactor.Off }, new Caller { Name = "admin" });
        try
        {
            var settings = await Cluster.Bootstrap(new ClusterBootstrap { ClusterName = AuthClusterFixture.ClusterName });

            Assert.Equal(SecondFactor.Off, settings.AuthPreference.SecondFactor);
        }
        finally
        {
            await Cluster.SetAuthPreference(new AuthPreference { SecondFactor = SecondFactor.Otp }, new Caller { Name = "admin" });
        }
    }

    [Fact]
    public async Task Certificate_authorities_are_created_once_and_kept()
    {
        var before = await fixture.Grains.GetGrain<ICertAuthorityGrain>("user").GetInfo();

        await Cluster.Bootstrap(new ClusterBootstrap { ClusterName = AuthClusterFixture.ClusterName });

        var after = await fixture.Grains.GetGrain<ICertAuthorityGrain>("user").GetInfo();
        Assert.Equal(before!.Fingerprint, after!.Fingerprint);
        Assert.StartsWith("ssh-ed25519 ", after.Public);
    }
}

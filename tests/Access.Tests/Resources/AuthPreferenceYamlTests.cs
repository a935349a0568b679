using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Tests.Resources;

public sealed class AuthPreferenceYamlTests
{
    private static string Yaml(string name = "cluster-auth-preference", string spec = "type: local\n  second_factor: otp") =>
        $"kind: cluster_auth_preference\nversion: v2\nmetadata:\n  name: {name}\nspec:\n  {spec}\n";

    [Theory]
    [InlineData("type: local\n  second_factor: otp", SecondFactor.Otp)]
    [InlineData("second_factor: off", SecondFactor.Off)]
    [InlineData("type: local", SecondFactor.Otp)]
    public void The_auth_preference_is_read(string spec, SecondFactor expected)
    {
        var doc = Assert.IsType<AuthPreferenceDocument>(Assert.Single(ResourceYaml.Parse(Yaml(spec: spec))));

        Assert.Equal(new AuthPreference { Type = "local", SecondFactor = expected }, doc.Preference);
        Assert.Equal("cluster-auth-preference", doc.Name);
    }

    [Fact]
    public void The_auth_preference_round_trips_through_yaml_and_json()
    {
        ResourceAssert.RoundTrips(new AuthPreferenceDocument(new AuthPreference { SecondFactor = SecondFactor.Off }));
        ResourceAssert.RoundTrips(new AuthPreferenceDocument(new AuthPreference()));
    }

    [Theory]
    [InlineData("cluster-auth-preference", "second_factor: webauthn", "line 6: unsupported second_factor 'webauthn' in spec.second_factor")]
    [InlineData("cluster-auth-preference", "type: oidc", "line 6: unsupported type 'oidc' in spec.type")]
    [InlineData("cap", "type: local", "line 4: metadata.name must be 'cluster-auth-preference'")]
    public void Unsupported_auth_preferences_are_refused(string name, string spec, string error)
    {
        var e = Assert.Throws<ResourceFormatException>(() => ResourceYaml.Parse(Yaml(name, spec)));

        Assert.StartsWith(error, e.Message);
    }
}

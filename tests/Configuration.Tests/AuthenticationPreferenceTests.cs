namespace Teleport.Orleans.Configuration.Tests;

public sealed class AuthenticationPreferenceTests
{
    [Fact]
    public void File_without_authentication_leaves_the_stored_preference_alone()
    {
        var config = TeleportConfigLoader.Parse("version: v3\nauth_service:\n  cluster_name: example.com\n");

        Assert.False(config.AuthService.Authentication.IsSet);
    }

    [Theory]
    [InlineData("  authentication:\n    second_factor: off\n")]
    [InlineData("  authentication:\n    type: local\n")]
    [InlineData("  authentication:\n    second_factors: [otp]\n")]
    public void File_that_sets_authentication_overrides_the_stored_preference(string section)
    {
        var config = TeleportConfigLoader.Parse("version: v3\nauth_service:\n" + section);

        Assert.True(config.AuthService.Authentication.IsSet);
    }
}

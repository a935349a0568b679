using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Users;

namespace Teleport.Orleans.Grains.Tests.Support;

/// <summary>Creates users the way an admin and the invite flow do, with a password and an enrolled OTP secret.</summary>
internal static class TestUsers
{
    public const string Password = "correct horse battery staple";

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    public static async Task<(string Name, string OtpSecret)> CreateWithCredentials(AuthClusterFixture fixture, string[] roles, string[]? logins = null)
    {
        var name = UniqueName("user");
        var admin = new Caller { Name = "admin" };
        await fixture.Grains.GetGrain<IUserGrain>(name).Save(new User
        {
            Name = name,
            Roles = roles,
            Traits = new Dictionary<string, string[]> { ["logins"] = logins ?? ["root"] },
        }, upsert: false, admin);
        var token = await fixture.Grains.GetGrain<IUserTokenGrain>(Guid.NewGuid().ToString("N")).Create(name, UserTokenKind.Invite, TimeSpan.FromHours(1), admin);
        await fixture.Grains.GetGrain<IUserTokenGrain>(token.Id).Redeem(Password, TotpVerifier.Compute(token.OtpSecret, fixture.Time.GetUtcNow()), admin);
        return (name, token.OtpSecret);
    }
}

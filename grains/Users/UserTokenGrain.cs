using System.Text.Json.Nodes;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Audit;

namespace Teleport.Orleans.Grains.Users;

/// <summary>An invite or reset token: the grain key is the secret, redeemed once within its TTL.</summary>
internal sealed class UserTokenGrain(
    [PersistentState("usertoken", StorageNames.ClusterState)] IPersistentState<UserTokenState> state,
    TimeProvider time) : Grain, IUserTokenGrain
{
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxTtl = TimeSpan.FromHours(48);

    public async Task<UserToken> Create(string user, UserTokenKind kind, TimeSpan ttl, Caller caller)
    {
        if (state.State.Token is not null)
        {
            throw AuthException.AlreadyExists("token already exists");
        }

        if (ttl <= TimeSpan.Zero)
        {
            ttl = DefaultTtl;
        }

        if (ttl > MaxTtl)
        {
            throw AuthException.BadParameter($"invite and reset tokens last at most {MaxTtl.TotalHours:0}h");
        }

        var target = GrainFactory.GetGrain<IUserGrain>(user);
        _ = await target.Get() ?? throw AuthException.NotFound($"user \"{user}\" is not found");
        if (kind == UserTokenKind.Reset)
        {
            await target.ClearCredentials(caller);
        }

        var now = time.GetUtcNow();
        var token = new UserToken
        {
            Id = this.GetPrimaryKeyString(),
            User = user,
            Kind = kind,
            CreatedAt = now,
            Expires = now + ttl,
            OtpSecret = TotpVerifier.NewSecret(),
        };
        state.State.Token = token;
        await state.WriteStateAsync();
        await GrainFactory.Audit(AuditEventTypes.ResetPasswordTokenCreate, caller, now, new JsonObject
        {
            ["name"] = user,
            ["ttl"] = ttl.ToString(),
            ["token_type"] = kind == UserTokenKind.Invite ? "invite" : "password",
        });
        return token;
    }

    public Task<UserToken?> Get() =>
        Task.FromResult(state.State.Token is { } token && token.Expires > time.GetUtcNow() ? token : null);

    public async Task<User> Redeem(string password, string otpCode, Caller caller)
    {
        var token = await Get() ?? throw AuthException.NotFound("the invite or reset token is invalid or has expired");
        var settings = await GrainFactory.GetGrain<IClusterGrain>(IClusterGrain.Key).GetSettings();
        var otpSecret = settings.AuthPreference.SecondFactor == SecondFactor.Otp ? token.OtpSecret : "";
        if (otpSecret.Length > 0 && otpCode.Length == 0)
        {
            throw AuthException.BadParameter("this cluster requires a second factor: scan the QR code with an authenticator app and enter its code");
        }

        var user = GrainFactory.GetGrain<IUserGrain>(token.User);
        await user.SetCredentials(password, otpSecret, otpCode, caller with { Name = token.User });
        await state.ClearStateAsync();
        DeactivateOnIdle();
        return await user.Get() ?? throw AuthException.NotFound($"user \"{token.User}\" is not found");
    }
}

[GenerateSerializer]
internal sealed class UserTokenState
{
    [Id(0)] public UserToken? Token { get; set; }
}

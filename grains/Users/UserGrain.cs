using System.Text.Json.Nodes;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Audit;

namespace Teleport.Orleans.Grains.Users;

/// <summary>One user: the single writer of its profile, credentials and lockout state.</summary>
internal sealed class UserGrain(
    [PersistentState("user", StorageNames.ClusterState)] IPersistentState<UserState> state,
    TimeProvider time) : Grain, IUserGrain
{
    private string Name => this.GetPrimaryKeyString();

    private IResourceDirectoryGrain<User> Directory => GrainFactory.GetGrain<IResourceDirectoryGrain<User>>(IResourceDirectoryGrain<User>.DefaultKey);

    public async Task<User> Save(User user, bool upsert, Caller caller)
    {
        UserNames.Validate(Name);
        if (!string.Equals(user.Name, Name, StringComparison.Ordinal))
        {
            throw AuthException.BadParameter($"user name \"{user.Name}\" does not match \"{Name}\"");
        }

        var existing = state.State.Profile;
        if (existing is not null && !upsert)
        {
            throw AuthException.AlreadyExists($"user \"{Name}\" already exists");
        }

        await EnsureRolesExist(user.Roles);
        var now = time.GetUtcNow();
        var profile = user with
        {
            CreatedAt = existing?.CreatedAt ?? now,
            CreatedBy = existing?.CreatedBy ?? caller.Name,
        };
        state.State.Profile = profile;
        await state.WriteStateAsync();
        var published = Published();
        await Directory.Put(Name, published);
        await GrainFactory.Audit(existing is null ? AuditEventTypes.UserCreate : AuditEventTypes.UserUpdate, caller, now, new JsonObject
        {
            ["name"] = Name,
            ["roles"] = new JsonArray([.. profile.Roles.Select(r => JsonValue.Create(r))]),
        });
        return published;
    }

    public Task<User?> Get() => Task.FromResult(state.State.Profile is null ? null : Published());

    public async Task Delete(Caller caller)
    {
        if (state.State.Profile is null)
        {
            throw AuthException.NotFound($"user \"{Name}\" is not found");
        }

        await state.ClearStateAsync();
        await Directory.Remove(Name);
        // A deleted user is signed out of the web UI everywhere.
        await GrainFactory.GetGrain<IUserWebSessionsGrain>(Name).EndAll();
        await GrainFactory.Audit(AuditEventTypes.UserDelete, caller, time.GetUtcNow(), new JsonObject { ["name"] = Name });
        DeactivateOnIdle();
    }

    public async Task<LoginResult> Authenticate(PasswordLogin login)
    {
        var now = time.GetUtcNow();
        var caller = new Caller { Name = Name, Address = login.ClientAddress };
        if (state.State.Profile is null)
        {
            // Same work and same answer as a wrong password, so user names cannot be probed.
            PasswordPolicy.Verify(login.Password, "");
            return await Fail(caller, now, LoginFailure.InvalidCredentials, "invalid credentials", countAttempt: false);
        }

        if (state.State.LockedUntil is { } lockedUntil && lockedUntil > now)
        {
            return await Fail(caller, now, LoginFailure.Locked, $"user \"{Name}\" is temporarily locked until {lockedUntil:u} after too many failed login attempts", countAttempt: false);
        }

        if (state.State.PasswordHash.Length == 0)
        {
            PasswordPolicy.Verify(login.Password, "");
            return await Fail(caller, now, LoginFailure.NoPassword, "invalid credentials", countAttempt: true);
        }

        if (!PasswordPolicy.Verify(login.Password, state.State.PasswordHash))
        {
            return await Fail(caller, now, LoginFailure.InvalidCredentials, "invalid credentials", countAttempt: true);
        }

        var settings = await GrainFactory.GetGrain<IClusterGrain>(IClusterGrain.Key).GetSettings();
        if (settings.AuthPreference.SecondFactor == SecondFactor.Otp)
        {
            if (login.OtpCode.Length == 0)
            {
                return await Fail(caller, now, LoginFailure.OtpRequired, "an OTP code is required", countAttempt: true);
            }

            var step = TotpVerifier.Verify(state.State.OtpSecret, login.OtpCode, now, state.State.LastOtpStep);
            if (step is null)
            {
                return await Fail(caller, now, LoginFailure.InvalidCredentials, "invalid credentials", countAttempt: true);
            }

            state.State.LastOtpStep = step.Value;
        }

        state.State.FailedAttempts.Clear();
        state.State.LockedUntil = null;
        await state.WriteStateAsync();
        await GrainFactory.Audit(AuditEventTypes.UserLogin, caller, now, new JsonObject { ["method"] = "local", ["success"] = true });
        return new LoginResult { Success = true, User = Published() };
    }

    public async Task SetCredentials(string password, string otpSecret, string otpCode, Caller caller)
    {
        var profile = state.State.Profile ?? throw AuthException.NotFound($"user \"{Name}\" is not found");
        PasswordPolicy.Validate(password);
        var now = time.GetUtcNow();
        long otpStep = 0;
        if (otpSecret.Length > 0)
        {
            otpStep = TotpVerifier.Verify(otpSecret, otpCode, now, lastUsedStep: 0)
                ?? throw AuthException.BadParameter("the OTP code does not match the secret being enrolled: check the authenticator app's clock and try the current code");
        }

        state.State.PasswordHash = PasswordPolicy.Hash(password);
        if (otpSecret.Length > 0)
        {
            state.State.OtpSecret = otpSecret;
            state.State.LastOtpStep = otpStep;
        }

        state.State.FailedAttempts.Clear();
        state.State.LockedUntil = null;
        await state.WriteStateAsync();
        await Directory.Put(Name, Published());
        await GrainFactory.Audit(AuditEventTypes.UserPasswordChange, caller, now, new JsonObject { ["name"] = profile.Name });
        if (otpSecret.Length > 0)
        {
            await GrainFactory.Audit(AuditEventTypes.MfaDeviceAdd, caller, now, new JsonObject { ["name"] = profile.Name, ["mfa_device_type"] = "TOTP" });
        }
    }

    public async Task ClearCredentials(Caller caller)
    {
        _ = state.State.Profile ?? throw AuthException.NotFound($"user \"{Name}\" is not found");
        state.State.PasswordHash = "";
        state.State.OtpSecret = "";
        state.State.LastOtpStep = 0;
        await state.WriteStateAsync();
        await Directory.Put(Name, Published());
    }

    public async Task Unlock(Caller caller)
    {
        _ = state.State.Profile ?? throw AuthException.NotFound($"user \"{Name}\" is not found");
        state.State.LockedUntil = null;
        state.State.FailedAttempts.Clear();
        await state.WriteStateAsync();
        await Directory.Put(Name, Published());
        await GrainFactory.Audit(AuditEventTypes.UserUnlock, caller, time.GetUtcNow(), new JsonObject { ["name"] = Name });
    }

    private async Task<LoginResult> Fail(Caller caller, DateTimeOffset now, LoginFailure failure, string message, bool countAttempt)
    {
        DateTimeOffset? locked = null;
        if (countAttempt)
        {
            locked = LoginLockout.RecordFailure(state.State.FailedAttempts, now);
            if (locked is not null)
            {
                state.State.LockedUntil = locked;
                message = $"{message}; too many failed attempts: user \"{Name}\" is locked until {locked:u}";
            }

            await state.WriteStateAsync();
            if (locked is not null)
            {
                await Directory.Put(Name, Published());
            }
        }

        await GrainFactory.Audit(AuditEventTypes.UserLoginFailure, caller, now, new JsonObject
        {
            ["method"] = "local",
            ["success"] = false,
            ["error"] = message,
        });
        return new LoginResult { Failure = failure, Message = message, LockedUntil = locked ?? state.State.LockedUntil };
    }

    private async Task EnsureRolesExist(IEnumerable<string> roles)
    {
        foreach (var role in roles)
        {
            if (await GrainFactory.GetGrain<IRoleGrain>(role).Get() is null)
            {
                throw AuthException.NotFound($"role \"{role}\" is not found");
            }
        }
    }

    private User Published()
    {
        var profile = state.State.Profile!;
        var locked = state.State.LockedUntil is { } until && until > time.GetUtcNow();
        return profile with
        {
            HasPassword = state.State.PasswordHash.Length > 0,
            HasOtp = state.State.OtpSecret.Length > 0,
            LockedUntil = locked ? state.State.LockedUntil : null,
            LockReason = locked ? "too many failed login attempts" : "",
        };
    }
}

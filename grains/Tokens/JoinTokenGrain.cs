using System.Text.Json.Nodes;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Audit;

namespace Teleport.Orleans.Grains.Tokens;

/// <summary>A join token: grants one host the listed system roles until it expires or is used.</summary>
internal sealed class JoinTokenGrain(
    [PersistentState("jointoken", StorageNames.ClusterState)] IPersistentState<JoinTokenState> state,
    TimeProvider time) : Grain, IJoinTokenGrain
{
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(30);

    /// <summary>How long after its join the same host, with the same keys, may ask again and get the same answer.</summary>
    public static readonly TimeSpan RetryWindow = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MaxTtl = TimeSpan.FromDays(365);

    private string Name => this.GetPrimaryKeyString();

    private IResourceDirectoryGrain<JoinToken> Directory =>
        GrainFactory.GetGrain<IResourceDirectoryGrain<JoinToken>>(IResourceDirectoryGrain<JoinToken>.DefaultKey);

    public async Task<JoinToken> Create(string[] roles, TimeSpan ttl, Dictionary<string, string> labels, Caller caller)
    {
        var now = time.GetUtcNow();
        if (state.State.Token is { } existing && existing.Expires > now && existing.UsedAt is null)
        {
            throw AuthException.AlreadyExists($"token \"{Name}\" already exists");
        }

        if (Name.Length < 8)
        {
            throw AuthException.BadParameter("a join token must be at least 8 characters long");
        }

        var systemRoles = JoinTokenRoles.Normalize(roles);
        if (ttl <= TimeSpan.Zero)
        {
            ttl = DefaultTtl;
        }

        if (ttl > MaxTtl)
        {
            throw AuthException.BadParameter("a join token lasts at most 8760h");
        }

        var token = new JoinToken
        {
            Name = Name,
            Roles = systemRoles,
            CreatedAt = now,
            CreatedBy = caller.Name,
            Expires = now + ttl,
            Labels = labels,
        };
        state.State.Token = token;
        await state.WriteStateAsync();
        await Directory.Put(Name, token);
        await GrainFactory.Audit(AuditEventTypes.JoinTokenCreate, caller, now, new JsonObject
        {
            ["roles"] = new JsonArray([.. systemRoles.Select(r => JsonValue.Create(r))]),
            ["join_method"] = "token",
            ["expires"] = token.Expires.UtcDateTime.ToString("O"),
        });
        return token;
    }

    public Task<JoinToken?> Get() =>
        Task.FromResult(state.State.Token is { } token && token.Expires > time.GetUtcNow() && token.UsedAt is null ? token : null);

    public async Task Delete(Caller caller)
    {
        if (state.State.Token is null)
        {
            throw AuthException.NotFound($"token \"{Name}\" is not found");
        }

        await state.ClearStateAsync();
        await Directory.Remove(Name);
        await GrainFactory.Audit(AuditEventTypes.JoinTokenDelete, caller, time.GetUtcNow());
        DeactivateOnIdle();
    }

    public async Task<JoinToken> Consume(string role, string hostId, string keyFingerprint, Caller caller)
    {
        var now = time.GetUtcNow();
        var token = state.State.Token;
        if (IsRetry(token, role, hostId, keyFingerprint, now))
        {
            // The joiner lost the first answer (a timeout under load) and asks again with the same identity and keys:
            // it gets the same answer, certificates for keys only it holds. Anyone else still finds the token used.
            return token!;
        }

        var failure = token switch
        {
            null => "the join token is not valid: no such token",
            { UsedAt: not null } => $"the join token was already used at {token.UsedAt:u}; join tokens work once, ask for a new one with `tctl tokens add`",
            _ when token.Expires <= now => $"the join token expired at {token.Expires:u}; ask for a new one with `tctl tokens add`",
            _ when !token.Roles.Contains(JoinTokenRoles.NormalizeOne(role), StringComparer.Ordinal) =>
                $"the join token does not grant role {role} (it grants {string.Join(",", token.Roles)})",
            _ => null,
        };
        if (failure is not null)
        {
            await GrainFactory.Audit(AuditEventTypes.InstanceJoinFailure, caller, now, new JsonObject
            {
                ["host_id"] = hostId,
                ["role"] = role,
                ["error"] = failure,
                ["success"] = false,
            });
            throw AuthException.AccessDenied(failure);
        }

        var used = token! with { UsedAt = now, UsedBy = hostId, UsedByKey = keyFingerprint };
        state.State.Token = used;
        await state.WriteStateAsync();
        await Directory.Remove(Name);
        await GrainFactory.Audit(AuditEventTypes.InstanceJoin, caller, now, new JsonObject
        {
            ["host_id"] = hostId,
            ["role"] = role,
            ["method"] = "token",
            ["success"] = true,
        });
        return used;
    }

    private static bool IsRetry(JoinToken? token, string role, string hostId, string keyFingerprint, DateTimeOffset now) =>
        token is { UsedAt: { } usedAt } &&
        keyFingerprint.Length > 0 &&
        string.Equals(token.UsedBy, hostId, StringComparison.Ordinal) &&
        string.Equals(token.UsedByKey, keyFingerprint, StringComparison.Ordinal) &&
        now - usedAt < RetryWindow &&
        token.Roles.Contains(JoinTokenRoles.NormalizeOne(role), StringComparer.Ordinal);
}

[GenerateSerializer]
internal sealed class JoinTokenState
{
    [Id(0)] public JoinToken? Token { get; set; }
}

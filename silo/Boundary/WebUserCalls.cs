using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Orleans.Serialization.Invocation;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Silo.Boundary;

/// <summary>
/// The admin calls the web UI makes for its signed-in user (the editors, the account page), which a proxy may make only
/// in the name of a web session it holds: for each, the resource and verb the user's roles must allow, as the auth API
/// demands of tctl, or that the user may change only their own account.
/// </summary>
internal static class WebUserCalls
{
    /// <summary>What a call needs of its user: a verb on a resource, or that the grain is the user's own account.</summary>
    internal sealed record Demand(string Resource, string Verb)
    {
        public static Demand OwnAccount { get; } = new("", "");
    }

    private static readonly FrozenDictionary<string, Func<IInvokable, Demand>> Demands = new Dictionary<string, Func<IInvokable, Demand>>
    {
        [$"{nameof(IUserGrain)}.{nameof(IUserGrain.Save)}"] = call => new("user", Upsert(call, 1) ? "update" : "create"),
        [$"{nameof(IUserGrain)}.{nameof(IUserGrain.Delete)}"] = _ => new("user", "delete"),
        // Invitations and password resets: the web UI's user editor asks "update" of both.
        [$"{nameof(IUserTokenGrain)}.{nameof(IUserTokenGrain.Create)}"] = _ => new("user", "update"),
        [$"{nameof(IRoleGrain)}.{nameof(IRoleGrain.Save)}"] = call => new("role", Upsert(call, 1) ? "update" : "create"),
        [$"{nameof(IRoleGrain)}.{nameof(IRoleGrain.Delete)}"] = _ => new("role", "delete"),
        [$"{nameof(IJoinTokenGrain)}.{nameof(IJoinTokenGrain.Create)}"] = _ => new("token", "create"),
        [$"{nameof(IJoinTokenGrain)}.{nameof(IJoinTokenGrain.Delete)}"] = _ => new("token", "delete"),
        [$"{nameof(ILockGrain)}.{nameof(ILockGrain.Save)}"] = _ => new("lock", "create"),
        [$"{nameof(ILockGrain)}.{nameof(ILockGrain.Delete)}"] = _ => new("lock", "delete"),
        // A new password or second factor: the user's own account only.
        [$"{nameof(IUserGrain)}.{nameof(IUserGrain.SetCredentials)}"] = _ => Demand.OwnAccount,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="method"/> ("IRoleGrain.Save") is one of these calls, and what it demands.</summary>
    public static bool TryGet(string method, IInvokable call, [NotNullWhen(true)] out Demand? demand)
    {
        if (Demands.TryGetValue(method, out var of))
        {
            demand = of(call);
            return true;
        }

        demand = null;
        return false;
    }

    private static bool Upsert(IInvokable call, int index) => call.GetArgumentCount() > index && call.GetArgument(index) is true;
}

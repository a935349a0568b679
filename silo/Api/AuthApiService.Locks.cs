using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Silo.Api;

internal sealed partial class AuthApiService
{
    /// <summary>
    /// Refuses certificates to a user under a lock that targets the user alone, as Teleport does when it issues
    /// certificates; locks narrowed to a login or a node are enforced where the session starts (gateway, node).
    /// </summary>
    private async Task EnsureUserNotLocked(string user)
    {
        var now = DateTimeOffset.UtcNow;
        var locks = await Directory<AccessLock>().List();
        var lockResource = locks.FirstOrDefault(l => l.InForce(now) && l.Target.User == user && l.Target.Login.Length == 0 && l.Target.Node.Length == 0);
        if (lockResource is not null)
        {
            var message = lockResource.Message.Length > 0 ? lockResource.Message : $"user \"{user}\" is locked";
            throw AuthException.AccessDenied($"{message} (lock {lockResource.Name})");
        }
    }
}

using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.WebSessions;

/// <summary>A web session's record with new secrets, for a sign-in or a renewal; the caller stores it with Start.</summary>
internal static class NewWebSession
{
    public static StartedWebSession For(
        string user, string[] roles, Dictionary<string, string[]> traits, string[] logins,
        DateTimeOffset now, DateTimeOffset expires, TimeSpan inactivityTimeout, string clientAddress)
    {
        var bearer = WebSessionSecrets.NewBearer();
        return new StartedWebSession
        {
            Bearer = bearer,
            Session = new WebSession
            {
                Id = WebSessionSecrets.NewId(),
                User = user,
                BearerHash = WebSessionSecrets.Hash(bearer),
                Roles = roles,
                Traits = traits,
                Logins = logins,
                Created = now,
                Expires = expires,
                InactivityTimeout = inactivityTimeout,
                ClientAddress = clientAddress,
            },
        };
    }
}

using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>An invite or reset token. Key: the token id (a random secret).</summary>
public interface IUserTokenGrain : IGrainWithStringKey
{
    Task<UserToken> Create(string user, UserTokenKind kind, TimeSpan ttl, Caller caller);

    /// <summary>The token if it exists and has not expired.</summary>
    [ReadOnly]
    Task<UserToken?> Get();

    /// <summary>Sets the user's password (and OTP) and deletes the token. Expired or unknown tokens fail.</summary>
    Task<User> Redeem(string password, string otpCode, Caller caller);
}

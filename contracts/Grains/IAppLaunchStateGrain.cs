namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// The <c>state</c> of one app launch from the web UI (Teleport's session-fixation guard for
/// <c>/x-teleport-auth</c>). Key: the random state value, which the app's host also sets in a cookie. Issued for one
/// app host, good for a short time and for one exchange only, whichever proxy the browser reaches. Kept in memory:
/// a launch outlives neither its minute nor a restart of the silo holding it (the user launches again).
/// </summary>
public interface IAppLaunchStateGrain : IGrainWithStringKey
{
    /// <summary>Records the state for <paramref name="publicAddr"/>, valid for <paramref name="ttl"/>.</summary>
    Task Issue(string publicAddr, TimeSpan ttl);

    /// <summary>
    /// Spends the state for <paramref name="publicAddr"/>: null when it was issued for that host, is unexpired and
    /// unspent; otherwise why not, in one sentence.
    /// </summary>
    Task<string?> Consume(string publicAddr);

    static string NewState() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}

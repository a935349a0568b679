using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.Apps;

/// <summary>One app launch's state (see <see cref="IAppLaunchStateGrain"/>): issued once, spent once, short lived.</summary>
internal sealed class AppLaunchStateGrain(TimeProvider time) : Grain, IAppLaunchStateGrain
{
    private static readonly TimeSpan MaxTtl = TimeSpan.FromMinutes(5);

    private string? _publicAddr;
    private DateTimeOffset _expires;
    private bool _spent;

    public Task Issue(string publicAddr, TimeSpan ttl)
    {
        if (_publicAddr is not null || this.GetPrimaryKeyString().Length < 32)
        {
            throw AuthException.BadParameter("an app launch state needs a new random value");
        }

        _publicAddr = publicAddr;
        _expires = time.GetUtcNow() + (ttl > TimeSpan.Zero && ttl < MaxTtl ? ttl : MaxTtl);
        return Task.CompletedTask;
    }

    public Task<string?> Consume(string publicAddr)
    {
        string? refusal = _publicAddr switch
        {
            null => "the launch state is unknown; open the app from the web UI again",
            _ when _spent => "the launch state was already used; open the app from the web UI again",
            _ when time.GetUtcNow() >= _expires => "the launch state has expired; open the app from the web UI again",
            _ when !string.Equals(_publicAddr, publicAddr, StringComparison.OrdinalIgnoreCase) => "the launch state was issued for another app",
            _ => null,
        };
        if (_publicAddr is not null)
        {
            // Spent by any attempt, right or wrong: a guessed or replayed exchange burns the state.
            _spent = true;
        }

        return Task.FromResult(refusal);
    }
}

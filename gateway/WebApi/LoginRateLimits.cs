using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// Rate limits on the endpoints that check a password (web login, invite and reset redemption), so that one address
/// cannot spend the auth service's bcrypt time or guess passwords quickly, and no one can hammer one user's account
/// from many addresses. Per address through ASP.NET Core's rate limiter (the <see cref="PerAddress"/> policy); per
/// user in the login handler itself, since the user name is in the body. Both answer 429 with Retry-After.
/// </summary>
internal sealed partial class LoginRateLimits : IDisposable
{
    /// <summary>The endpoint policy partitioned by client IP.</summary>
    public const string PerAddress = "webapi-login-per-address";

    private readonly PartitionedRateLimiter<string> _perUser;
    private readonly ILogger _logger;

    public LoginRateLimits(GatewayOptions options, ILogger<LoginRateLimits> logger)
    {
        Limit = options.LoginRateLimit;
        _logger = logger;
        _perUser = PartitionedRateLimiter.Create<string, string>(user => Bucket(user.ToLowerInvariant(), Limit));
    }

    public LoginRateLimit Limit { get; }

    /// <summary>Registers the per-address policy and its 429 answer.</summary>
    public static void AddTo(IServiceCollection services, LoginRateLimit limit)
    {
        services.AddSingleton<LoginRateLimits>();
        services.AddRateLimiter(rateLimiter =>
        {
            rateLimiter.AddPolicy(PerAddress, context => Bucket(ClientAddress.IpOf(context), limit));
            rateLimiter.OnRejected = async (rejected, token) =>
            {
                var context = rejected.HttpContext;
                var self = context.RequestServices.GetRequiredService<LoginRateLimits>();
                var retryAfter = RetryAfter(rejected.Lease);
                LogAddressLimited(self._logger, context.Request.Path.ToString(), ClientAddress.IpOf(context), retryAfter);
                await TooManyAttempts(context, retryAfter, "too many login attempts from your address").ExecuteAsync(context);
            };
        });
    }

    /// <summary>Null when <paramref name="user"/> may try now; else the 429 to answer.</summary>
    public IResult? CheckUser(HttpContext context, string user)
    {
        using var lease = _perUser.AttemptAcquire(user);
        if (lease.IsAcquired)
        {
            return null;
        }

        var retryAfter = RetryAfter(lease);
        LogUserLimited(_logger, user, ClientAddress.IpOf(context), retryAfter);
        return TooManyAttempts(context, retryAfter, $"too many login attempts for user {user}");
    }

    public void Dispose() => _perUser.Dispose();

    private static IResult TooManyAttempts(HttpContext context, int retryAfter, string reason)
    {
        context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WebApiError.Of(StatusCodes.Status429TooManyRequests, $"{reason}; try again in {retryAfter} s");
    }

    private static int RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 60;

    private static RateLimitPartition<string> Bucket(string key, LoginRateLimit limit) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.Burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / limit.PerMinute,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}

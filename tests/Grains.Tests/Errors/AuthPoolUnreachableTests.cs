using System.Reflection;
using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Grains.Tests.Errors;

/// <summary>Which failed grain calls the API boundaries answer 503 / Unavailable with a sentence, and which they retry.</summary>
public sealed class AuthPoolUnreachableTests
{
    [Fact]
    public void A_call_to_an_auth_server_that_died_is_unavailable_not_internal()
    {
        Assert.Equal(AuthPoolUnreachable.Message, AuthPoolUnreachable.Describe(new SiloUnavailableException("target silo became unavailable")));
        Assert.Equal(AuthPoolUnreachable.Message, AuthPoolUnreachable.Describe(Rejected("Silo stopping")));
        Assert.Equal(AuthPoolUnreachable.Message, AuthPoolUnreachable.Describe(new TimeoutException("Response did not arrive on time")));
        Assert.Equal(AuthPoolUnreachable.Message, AuthPoolUnreachable.Describe(new AggregateException(new SiloUnavailableException())));
    }

    [Fact]
    public void Other_failures_are_not_taken_for_an_unreachable_auth_server()
    {
        Assert.Null(AuthPoolUnreachable.Describe(new InvalidOperationException("a bug")));
        Assert.Null(AuthPoolUnreachable.Describe(AuthException.NotFound("user alice not found")));
        Assert.DoesNotContain("Exception", AuthPoolUnreachable.Message, StringComparison.Ordinal);
    }

    /// <summary>What a leaving auth server answers a request it did not run (Orleans makes these itself; the constructor is internal).</summary>
    private static OrleansMessageRejectionException Rejected(string message) =>
        (OrleansMessageRejectionException)Activator.CreateInstance(
            typeof(OrleansMessageRejectionException), BindingFlags.NonPublic | BindingFlags.Instance, null, [message], null)!;

    [Fact]
    public void Only_a_call_rejected_before_it_ran_is_sent_again()
    {
        Assert.True(RejectedCallRetry.IsRejectedUnrun(Rejected("Silo stopping")));
        // The server died with the call in flight: it may have run, so it is not repeated.
        Assert.False(RejectedCallRetry.IsRejectedUnrun(new SiloUnavailableException()));
        Assert.False(RejectedCallRetry.IsRejectedUnrun(new SiloUnavailableException(
            "The target silo became unavailable for message: Request [...]->[ userlogin/0] IUserLoginGrain.Login(...). Target History is: S127.0.0.1:28303:155588298. See https://aka.ms/orleans-troubleshooting for troubleshooting help.")));
        Assert.False(RejectedCallRetry.IsRejectedUnrun(new TimeoutException()));
        Assert.False(RejectedCallRetry.IsRejectedUnrun(null));
    }

    /// <summary>
    /// The words Orleans 10's placement uses on a silo that is shutting down, as a DynamoDB rolling restart logged them
    /// ("Failed to address message ... Orleans.Runtime.SiloUnavailableException: Silo 'S127.0.0.1:28303:155588298' is
    /// shutting down."): the leaving gateway never sent the login on, so the proxy's client sends it again.
    /// </summary>
    [Fact]
    public void A_request_a_leaving_gateway_could_not_place_is_sent_again()
    {
        Assert.True(RejectedCallRetry.IsRejectedUnrun(new SiloUnavailableException("Silo 'S127.0.0.1:28303:155588298' is shutting down.")));
        Assert.False(RejectedCallRetry.IsRejectedUnrun(new SiloUnavailableException("Silo 'S127.0.0.1:28303:155588298' is shutting down. Something else ran.")));
    }
}

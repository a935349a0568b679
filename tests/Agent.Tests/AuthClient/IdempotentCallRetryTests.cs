using Grpc.Core;
using Grpc.Core.Interceptors;
using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Agent.Tests.AuthClient;

/// <summary>An auth API call whose connection is cut is sent again only when repeating it is harmless.</summary>
public sealed class IdempotentCallRetryTests
{
    private static readonly Marshaller<string> Text = Marshallers.Create(s => System.Text.Encoding.UTF8.GetBytes(s), b => System.Text.Encoding.UTF8.GetString(b));

    [Theory]
    [InlineData("GetResources")]
    [InlineData("GenerateUserCerts")]
    [InlineData("Heartbeat")]
    public async Task A_call_safe_to_repeat_is_sent_again_after_a_cut_connection(string method)
    {
        var attempts = 0;
        var call = Invoke(method, "request", () => ++attempts < 3 ? StatusCode.Unavailable : null);

        Assert.Equal("answer", await call.ResponseAsync);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task A_stream_the_server_reset_counts_as_a_cut_connection()
    {
        var attempts = 0;
        var call = Invoke("ListNodes", "request", () => ++attempts < 2 ? StatusCode.Cancelled : null);

        Assert.Equal("answer", await call.ResponseAsync);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task A_call_that_may_have_done_something_is_not_repeated()
    {
        var attempts = 0;
        var call = Invoke("CreateUser", "request", () => ++attempts < 3 ? StatusCode.Unavailable : null);

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public void A_resource_write_is_repeated_only_when_it_is_an_upsert()
    {
        Assert.True(IdempotentCallRetry.IsRepeatable("CreateResource", new CreateResourceRequest { Force = true }));
        Assert.False(IdempotentCallRetry.IsRepeatable("CreateResource", new CreateResourceRequest { Force = false }));
    }

    [Fact]
    public async Task An_answer_is_never_repeated()
    {
        var attempts = 0;
        var call = Invoke("GetResources", "request", () => ++attempts < 3 ? StatusCode.PermissionDenied : null);

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_call_past_its_deadline_is_not_repeated()
    {
        var attempts = 0;
        var call = Invoke("GetResources", "request", () => ++attempts < 3 ? StatusCode.Unavailable : null, DateTime.UtcNow.AddSeconds(-1));

        await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_repeat_that_runs_out_of_time_reports_the_servers_earlier_answer()
    {
        var attempts = 0;
        var call = Invoke("GenerateUserCerts", "request", () => ++attempts == 1 ? StatusCode.Unavailable : StatusCode.DeadlineExceeded);

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("cut", error.Status.Detail);
        Assert.Equal(2, attempts);
    }

    /// <summary>Runs a unary call through the retry; <paramref name="outcome"/> gives each attempt's failure, or null for the answer.</summary>
    private static AsyncUnaryCall<string> Invoke(string method, string request, Func<StatusCode?> outcome, DateTime? deadline = null)
    {
        var descriptor = new Method<string, string>(MethodType.Unary, "teleport.auth.v1.AuthService", method, Text, Text);
        var context = new ClientInterceptorContext<string, string>(descriptor, null, new CallOptions(deadline: deadline));
        return new IdempotentCallRetry().AsyncUnaryCall(request, context, (_, _) =>
        {
            var status = outcome();
            var response = status is { } code ? Task.FromException<string>(new RpcException(new Status(code, "cut"))) : Task.FromResult("answer");
            return new AsyncUnaryCall<string>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        });
    }
}

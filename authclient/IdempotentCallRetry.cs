using Grpc.Core;
using Grpc.Core.Interceptors;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.AuthClient;

/// <summary>
/// Sends an auth API call again when its connection was cut before an answer came (<c>Unavailable</c>, or
/// <c>Cancelled</c> that the caller did not ask for: the auth server, or the load balancer in front of it, reset the
/// stream), but only a call that is safe to repeat: a read, a certificate request (a second certificate is as good
/// as the first), a heartbeat or session tracker upsert, a resource write with force (an upsert). The private load
/// balancer sends the new attempt to another auth server. A call the caller cancelled, or whose deadline passed, is
/// not repeated; when the deadline passes during a repeat, the caller gets the earlier attempt's failure (an auth
/// server's "the backend is unavailable; try again" says more than DeadlineExceeded).
/// </summary>
public sealed class IdempotentCallRetry : Interceptor
{
    /// <summary>Pauses before each new attempt.</summary>
    private static readonly TimeSpan[] Pauses = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(1)];

    private static readonly HashSet<string> Repeatable = new(StringComparer.Ordinal)
    {
        "GetClusterStatus", "GetClusterPool", "GetUser", "ListUsers", "GetUserToken", "ListJoinTokens", "GetResources",
        "ExportAuthorities", "GenerateUserCerts", "SearchEvents", "RenewHostCerts", "Heartbeat", "ListNodes",
        "UpsertSessionTracker", "ListSessionTrackers", "ListRecordings", "ListAuthGateways",
    };

    public static bool IsRepeatable(string method, object request) =>
        Repeatable.Contains(method) || (request is CreateResourceRequest { Force: true });

    /// <summary>Whether the failure is a cut connection rather than an answer, for a call its caller still waits on.</summary>
    public static bool IsCut(RpcException exception, CallOptions options) =>
        !options.CancellationToken.IsCancellationRequested
        && (options.Deadline is not { } deadline || deadline > DateTime.UtcNow)
        && exception.StatusCode is StatusCode.Unavailable or StatusCode.Cancelled;

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (!IsRepeatable(context.Method.Name, request))
        {
            return continuation(request, context);
        }

        var current = continuation(request, context);
        var response = RetryAsync();
        return new AsyncUnaryCall<TResponse>(
            response,
            // Headers, status and trailers of the attempt that answered.
            ResponseHeaders(),
            () => current.GetStatus(),
            () => current.GetTrailers(),
            () => current.Dispose());

        async Task<TResponse> RetryAsync()
        {
            RpcException? earlier = null;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return await current.ResponseAsync.ConfigureAwait(false);
                }
                catch (RpcException ex) when (earlier is not null && ex.StatusCode == StatusCode.DeadlineExceeded)
                {
                    throw earlier;
                }
                catch (RpcException ex) when (attempt < Pauses.Length && IsCut(ex, context.Options))
                {
                    earlier = ex;
                }

                await Task.Delay(Pauses[attempt], context.Options.CancellationToken).ConfigureAwait(false);
                current.Dispose();
                current = continuation(request, context);
            }
        }

        async Task<Metadata> ResponseHeaders()
        {
            try
            {
                await response.ConfigureAwait(false);
            }
            catch (RpcException)
            {
            }

            return await current.ResponseHeadersAsync.ConfigureAwait(false);
        }
    }
}

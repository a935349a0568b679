using Grpc.Core;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Silo.Api;

internal sealed partial class AuthApiService
{
    public override async Task WatchAccessPolicy(WatchAccessPolicyRequest request, IServerStreamWriter<AccessPolicy> responseStream, ServerCallContext context)
    {
        authorizer.AuthorizeSystem(context, "Node", "Proxy");
        using var connected = metrics.Connected(ApiIdentity.From(context).HasSystemRole("Proxy") ? "proxy" : "node");
        // A stopping auth server ends the watch, so the caller resubscribes to another one: an open stream would hold
        // the listener's shutdown until its timeout.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var policy in accessPolicy.Watch(ending.Token))
            {
                await responseStream.WriteAsync(policy, ending.Token);
            }
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            // The node hung up, or this server is stopping; either ends the watch.
        }
    }
}

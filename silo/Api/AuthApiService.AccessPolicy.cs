using Grpc.Core;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Silo.Api;

internal sealed partial class AuthApiService
{
    public override async Task WatchAccessPolicy(WatchAccessPolicyRequest request, IServerStreamWriter<AccessPolicy> responseStream, ServerCallContext context)
    {
        authorizer.AuthorizeSystem(context, "Node", "Proxy");
        using var connected = metrics.Connected(ApiIdentity.From(context).HasSystemRole("Proxy") ? "proxy" : "node");
        try
        {
            await foreach (var policy in accessPolicy.Watch(context.CancellationToken))
            {
                await responseStream.WriteAsync(policy, context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The node hung up; that ends the watch.
        }
    }
}

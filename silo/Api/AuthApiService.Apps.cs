using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Silo.Api;

internal sealed partial class AuthApiService
{
    /// <summary>
    /// An app service on another host announces its apps under its own host id (from its certificate), marked as
    /// reached through its reverse tunnel: the proxies never dial such an app's uri themselves.
    /// </summary>
    public override async Task<HeartbeatResponse> HeartbeatApps(AppServiceHeartbeat request, ServerCallContext context)
    {
        var host = authorizer.AuthorizeHost(context, "App");
        var apps = request.Apps.Select(a => new Contracts.Resources.App
        {
            Name = a.Name,
            Description = a.Description,
            Uri = a.Uri,
            PublicAddr = a.PublicAddr,
            Labels = new Dictionary<string, string>(a.Labels, StringComparer.Ordinal),
            InsecureSkipVerify = a.InsecureSkipVerify,
            Rewrite = new Contracts.Resources.AppRewrite { Redirect = [.. a.RewriteRedirect], Headers = [.. a.RewriteHeaders] },
            UseTunnel = true,
        }).ToArray();
        await grains.GetGrain<IAppRegistryGrain>(IAppRegistryGrain.DefaultKey).Heartbeat(host.HostId, apps, host.Caller);
        return new HeartbeatResponse
        {
            Expires = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow + IAppRegistryGrain.Lease),
            NextHeartbeatSeconds = (long)IAppRegistryGrain.HeartbeatInterval.TotalSeconds,
        };
    }
}

using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Silo.Diagnostics;
using ClusterSettings = Teleport.Orleans.Contracts.Resources.ClusterSettings;
using User = Teleport.Orleans.Contracts.Resources.User;

namespace Teleport.Orleans.Silo.Api;

/// <summary>
/// The gRPC auth API. Each call is authorized here, at the boundary, from the verified client certificate, then
/// handed to the grains with the caller's identity for the audit log. One file per area (users, tokens, ...).
/// </summary>
internal sealed partial class AuthApiService(IGrainFactory grains, ApiAuthorizer authorizer, IRecordingStore recordings, AccessPolicyFeed accessPolicy, AuthServerMetrics metrics, IHostApplicationLifetime lifetime) : AuthService.AuthServiceBase
{
    private const string Version = "0.1.0";

    public override async Task<ClusterStatus> GetClusterStatus(GetClusterStatusRequest request, ServerCallContext context)
    {
        authorizer.RequireAuthenticated(context);
        var settings = await Settings();
        var status = new ClusterStatus
        {
            ClusterName = settings.ClusterName,
            Version = Version,
            SecondFactor = settings.AuthPreference.SecondFactor.ToString().ToLowerInvariant(),
            ProxyPublicAddr = ProxyAddress(settings),
            UserCount = (await Directory<User>().List()).Length,
            RoleCount = (await Directory<Role>().List()).Length,
            JoinTokenCount = (await LiveJoinTokens()).Length,
        };
        foreach (var type in Enum.GetValues<CertAuthorityType>())
        {
            var info = await grains.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(type)).GetInfo();
            if (info is null)
            {
                continue;
            }

            status.Authorities.Add(new CertAuthorityStatus { Type = type.ToString().ToLowerInvariant(), Fingerprint = info.Fingerprint, Public = info.Public });
            if (type == CertAuthorityType.Tls)
            {
                status.CaPin = info.Fingerprint;
            }
        }

        return status;
    }

    private Task<ClusterSettings> Settings() => grains.GetGrain<IClusterGrain>(IClusterGrain.Key).GetSettings();

    private IResourceDirectoryGrain<T> Directory<T>() => grains.GetGrain<IResourceDirectoryGrain<T>>(IResourceDirectoryGrain<T>.DefaultKey);

    private static string ProxyAddress(ClusterSettings settings) =>
        settings.ProxyPublicAddr.Length > 0 ? settings.ProxyPublicAddr : $"{System.Net.Dns.GetHostName()}:3080";

    /// <summary>128 random bits as hex, as Teleport's generated tokens.</summary>
    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

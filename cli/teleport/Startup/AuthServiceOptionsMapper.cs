using System.Net;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Silo.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>Maps teleport.yaml onto the auth service's options.</summary>
internal static class AuthServiceOptionsMapper
{
    public static AuthServiceOptions Map(TeleportConfig config)
    {
        var auth = config.AuthService;
        var process = config.Teleport;
        return new AuthServiceOptions
        {
            DataDir = Path.GetFullPath(process.DataDir),
            ClusterName = auth.ClusterName,
            NodeName = process.NodeName,
            ListenEndpoint = ListenEndpoint.Resolve(auth.ListenAddr, "auth_service.listen_addr"),
            DiagnosticsEndpoint = process.DiagAddr is { } diag ? ListenEndpoint.Resolve(diag, "teleport.diag_addr", IPAddress.Loopback) : new IPEndPoint(IPAddress.Loopback, 3000),
            PublicNames = [.. auth.PublicAddrs.Select(a => a.Host)],
            AuthPreference = auth.Authentication.IsSet
                ? new AuthPreference { Type = auth.Authentication.Type, SecondFactor = ToSecondFactor(auth.Authentication) }
                : null,
            ProxyPublicAddr = ProxyPublicAddr(config),
            SiloPort = PortFromEnvironment("TELEPORT_SILO_PORT", 11111),
            GatewayPort = PortFromEnvironment("TELEPORT_GATEWAY_PORT", 30000),
            Storage = StorageOptionsMapper.Map(process.Storage),
            // TELEPORT_ADVERTISE_IP wins: pods of one Deployment share a file but not an address (status.podIP).
            AdvertiseAddress = StorageOptionsMapper.AdvertiseAddress(Environment.GetEnvironmentVariable("TELEPORT_ADVERTISE_IP") is { Length: > 0 } ip ? ip : process.AdvertiseIp),
            FailureDetection = new Silo.Membership.FailureDetectionOptions
            {
                ProbeTimeout = auth.FailureDetection.ProbeTimeout,
                MissedProbes = auth.FailureDetection.MissedProbes,
                ConnectionLiveness = auth.FailureDetection.ConnectionLiveness,
            },
        };
    }

    private static string ProxyPublicAddr(TeleportConfig config)
    {
        if (config.ProxyService.PublicAddrs.Count > 0)
        {
            return config.ProxyService.PublicAddrs[0].ToString();
        }

        return config.ProxyService.Enabled ? $"{config.Teleport.NodeName}:{config.ProxyService.WebListenAddr.Port}" : "";
    }

    private static SecondFactor ToSecondFactor(AuthenticationConfig authentication)
    {
        // The newer list form: an empty list means no second factor.
        if (authentication.SecondFactors.Count > 0 || authentication.SecondFactor == SecondFactorMode.Off)
        {
            return authentication.SecondFactors.Contains(SecondFactorType.Otp) ? SecondFactor.Otp
                : authentication.SecondFactors.Count == 0 ? SecondFactor.Off
                : throw new ConfigurationException("auth_service.authentication.second_factors: this release supports otp only");
        }

        return ToSecondFactor(authentication.SecondFactor);
    }

    private static SecondFactor ToSecondFactor(SecondFactorMode mode) => mode switch
    {
        SecondFactorMode.Off => SecondFactor.Off,
        SecondFactorMode.Otp or SecondFactorMode.On or SecondFactorMode.Optional => SecondFactor.Otp,
        _ => throw new ConfigurationException($"auth_service.authentication.second_factor: {mode.ToString().ToLowerInvariant()} is not supported by this release; use otp or off"),
    };

    private static int PortFromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var port) && port is > 0 and < 65536 ? port : fallback;
}

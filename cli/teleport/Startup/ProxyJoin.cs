using Grpc.Core;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// The host identity of a proxy-only process: joins once with a Proxy token through teleport.auth_server
/// (RegisterUsingToken, role Proxy) and keeps keys and certificates in data_dir/proxy, as a node keeps its own.
/// </summary>
internal static partial class ProxyJoin
{
    private static readonly StatusCode[] Refusals =
        [StatusCode.PermissionDenied, StatusCode.NotFound, StatusCode.InvalidArgument, StatusCode.AlreadyExists];

    /// <summary>Where the identity is kept: beside a node's identity when the same data dir also serves a node.</summary>
    public static string IdentityDir(string dataDir) => Path.Combine(dataDir, "proxy");

    /// <summary>The joined identity; throws <see cref="JoinException"/> when the token is refused.</summary>
    public static async Task<NodeIdentity> ObtainAsync(TeleportConfig config, string authServer, IReadOnlyList<string> hostNames, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var process = config.Teleport;
        var dataDir = Path.GetFullPath(process.DataDir);
        var identityDir = IdentityDir(dataDir);
        var logger = loggers.CreateLogger(typeof(ProxyJoin));
        var identity = NodeIdentity.Load(identityDir);
        if (identity is null)
        {
            var token = Token(process) ?? throw new JoinException(
                "this proxy has not joined yet and has no token: set teleport.auth_token (or join_params.token_name) to a token from `tctl tokens add --type=proxy`");
            var parameters = new JoinParameters
            {
                Token = token,
                Role = "Proxy",
                AuthServer = authServer,
                CaPins = process.CaPins,
                AdditionalPrincipals = hostNames,
            };
            identity = await JoinWithRetry(HostUuid.LoadOrCreate(dataDir), process.NodeName, parameters, loggers, logger, cancellationToken);
            identity.Save(identityDir);
        }
        else
        {
            LogReusing(logger, identity.HostId, identityDir);
        }

        return identity;
    }

    /// <summary>
    /// Retries while the auth service cannot be reached (it may still be starting) or does not answer in time; a
    /// refused token fails at once.
    /// </summary>
    private static async Task<NodeIdentity> JoinWithRetry(
        string hostId, string nodeName, JoinParameters parameters, ILoggerFactory loggers, ILogger logger, CancellationToken cancellationToken)
    {
        var joiner = new NodeJoiner(loggers.CreateLogger<NodeJoiner>());
        // One set of keys for every attempt: an attempt that timed out may have spent the token, and the auth service
        // answers the same host with the same keys again rather than calling the token used.
        using var sshKey = Ssh.Keys.SshPrivateKey.Generate(Ssh.Keys.SshKeyType.Ed25519);
        using var tlsKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await joiner.JoinAsync(hostId, nodeName, parameters, sshKey, tlsKey, cancellationToken);
            }
            catch (JoinException ex) when (ex.InnerException is RpcException rpc && !Refusals.Contains(rpc.StatusCode))
            {
                LogAuthUnreachable(logger, parameters.AuthServer ?? "", attempt, delay.TotalSeconds, ex.Message);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
            }
        }
    }

    /// <summary>auth_token, else join_params.token_name; either may be a path to a file holding the token, as in Teleport.</summary>
    private static string? Token(TeleportProcessConfig process)
    {
        var token = !string.IsNullOrEmpty(process.AuthToken) ? process.AuthToken : process.JoinParams.TokenName;
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        return token.StartsWith('/') && File.Exists(token) ? File.ReadAllText(token).Trim() : token;
    }
}

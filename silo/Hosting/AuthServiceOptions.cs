using System.Net;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Silo.Membership;

namespace Teleport.Orleans.Silo.Hosting;

/// <summary>What the auth service needs to run, mapped from <c>teleport.yaml</c> by the <c>teleport</c> command.</summary>
public sealed class AuthServiceOptions
{
    public required string DataDir { get; init; }

    public required string ClusterName { get; init; }

    public string NodeName { get; init; } = Environment.MachineName;

    /// <summary>gRPC auth API (mutual TLS), 3025 by default.</summary>
    public IPEndPoint ListenEndpoint { get; init; } = new(IPAddress.Any, 3025);

    /// <summary>Dashboard, Prometheus metrics and health checks; loopback unless configured otherwise.</summary>
    public IPEndPoint? DiagnosticsEndpoint { get; init; } = new(IPAddress.Loopback, 3000);

    /// <summary>Extra names (DNS or IP) the auth server's certificate carries, from <c>auth_service.public_addr</c>.</summary>
    public IReadOnlyList<string> PublicNames { get; init; } = [];

    /// <summary>Null keeps the stored preference (or Teleport's default, OTP, on first start).</summary>
    public AuthPreference? AuthPreference { get; init; }

    /// <summary>The proxy address users reach, used in invite links.</summary>
    public string ProxyPublicAddr { get; init; } = "";

    /// <summary>Orleans silo-to-silo port (11111 by default, as Orleans).</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>Orleans client gateway port (30000 by default, as Orleans).</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>Cluster state, audit events and recordings: SQLite in the data dir unless <c>teleport.storage</c> says otherwise.</summary>
    public StorageOptions Storage { get; init; } = new();

    /// <summary>The address other silos of an auth pool reach this one at (<c>advertise_ip</c>); loopback by default.</summary>
    public IPAddress AdvertiseAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// How long a node stays listed after its last heartbeat (Teleport's ServerAnnounceTTL, 10 min). Tests shorten it
    /// with the undocumented TELEPORT_TEST_NODE_TTL (seconds) to watch a dead node disappear.
    /// </summary>
    public TimeSpan NodeTtl { get; init; } = SecondsFromEnvironment("TELEPORT_TEST_NODE_TTL") ?? TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long the silo's own certificate for the internal mutual TLS lasts (re-signed at two thirds). Tests shorten
    /// it with the undocumented TELEPORT_TEST_INTERNAL_CERT_TTL (seconds) to watch a renewal.
    /// </summary>
    public TimeSpan InternalCertificateLifetime { get; init; } = SecondsFromEnvironment("TELEPORT_TEST_INTERNAL_CERT_TTL") ?? TimeSpan.FromHours(24);

    /// <summary>auth_service.failure_detection: how fast a dead or hung silo of the pool is declared dead.</summary>
    public FailureDetectionOptions FailureDetection { get; init; } = new();

    /// <summary>How long a stopping silo may take to leave the membership and hand over its grains.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string AdminIdentityPath => Path.Combine(DataDir, "admin.identity");

    private static TimeSpan? SecondsFromEnvironment(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
}

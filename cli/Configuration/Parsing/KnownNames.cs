namespace Teleport.Orleans.Configuration;

/// <summary>The names teleport.yaml uses for each enumerated setting, and the other closed vocabularies.</summary>
internal static class KnownNames
{
    public static readonly EnumNames<LogSeverity> Severity = new(
        ("DEBUG", LogSeverity.Debug),
        ("INFO", LogSeverity.Info),
        ("WARN", LogSeverity.Warn),
        ("ERROR", LogSeverity.Error),
        ("TRACE", LogSeverity.Trace),
        ("WARNING", LogSeverity.Warn),
        ("ERR", LogSeverity.Error));

    public static readonly EnumNames<LogOutputFormat> LogFormat = new(
        ("text", LogOutputFormat.Text),
        ("json", LogOutputFormat.Json));

    public static readonly EnumNames<StorageType> StorageTypes = new(
        ("sqlite", StorageType.Sqlite),
        ("postgresql", StorageType.PostgreSql),
        ("dynamodb", StorageType.DynamoDb),
        ("etcd", StorageType.Etcd),
        ("firestore", StorageType.Firestore),
        ("cockroachdb", StorageType.CockroachDb),
        ("azure", StorageType.Azure),
        ("dir", StorageType.Sqlite),
        ("postgres", StorageType.PostgreSql));

    public static readonly EnumNames<ProxyListenerMode> ListenerMode = new(
        ("multiplex", ProxyListenerMode.Multiplex),
        ("separate", ProxyListenerMode.Separate));

    public static readonly EnumNames<SecondFactorMode> SecondFactor = new(
        ("off", SecondFactorMode.Off),
        ("otp", SecondFactorMode.Otp),
        ("on", SecondFactorMode.On),
        ("optional", SecondFactorMode.Optional),
        ("webauthn", SecondFactorMode.Webauthn));

    public static readonly EnumNames<SecondFactorType> SecondFactorTypes = new(
        ("otp", SecondFactorType.Otp),
        ("webauthn", SecondFactorType.Webauthn),
        ("sso", SecondFactorType.Sso));

    public static readonly EnumNames<SessionRecordingMode> SessionRecording = new(
        ("node", SessionRecordingMode.Node),
        ("node-sync", SessionRecordingMode.NodeSync),
        ("proxy", SessionRecordingMode.Proxy),
        ("proxy-sync", SessionRecordingMode.ProxySync),
        ("off", SessionRecordingMode.Off));

    public static readonly EnumNames<RoutingStrategy> Routing = new(
        ("unambiguous_match", RoutingStrategy.UnambiguousMatch),
        ("most_recent", RoutingStrategy.MostRecent));

    // Join methods from Teleport's "Join Methods and Tokens" reference.
    public static readonly string[] JoinMethods =
    [
        "token", "ec2", "iam", "azure", "azure_devops", "gcp", "github", "gitlab", "circleci", "kubernetes",
        "oracle", "spacelift", "terraform_cloud", "tpm", "bitbucket",
    ];

    public static readonly string[] AuthenticationTypes = ["local", "github", "oidc", "saml"];

    public static readonly string[] CacheTypes = [CacheConfig.InMemory, "sqlite"];

    // System roles a static token may grant (types.ParseTeleportRoles, lower-cased).
    public static readonly string[] TokenRoles =
    [
        "node", "proxy", "auth", "app", "db", "kube", "windowsdesktop", "discovery", "bot", "trusted_cluster",
    ];

    // Teleport services this implementation does not run: named so the error says so rather than "unknown key".
    public static readonly string[] UnsupportedSections =
    [
        "db_service", "kubernetes_service", "windows_desktop_service", "discovery_service",
        "jamf_service", "okta_service", "tracing_service", "metrics_service", "debug_service", "relay_service",
    ];
}

namespace Teleport.Orleans.Contracts.Resources;

/// <summary>
/// One user's access to one app, from <c>tsh apps login</c> or a browser launch until it expires or is logged out.
/// Its id is the value of the <c>__Host-grv_app_session</c> cookie and the route-to-app session id in the certificate.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AppSession
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string User { get; init; }
    [Id(2)] public string[] Roles { get; init; } = [];
    [Id(3)] public Dictionary<string, string[]> Traits { get; init; } = new();
    [Id(4)] public required string AppName { get; init; }
    /// <summary>The host name the app is served at (its public_addr or NAME.PUBLIC_HOST).</summary>
    [Id(5)] public required string PublicAddr { get; init; }
    [Id(6)] public string ClusterName { get; init; } = "";
    [Id(7)] public DateTimeOffset Created { get; init; }
    [Id(8)] public DateTimeOffset Expires { get; init; }
    /// <summary>The signed JWT (RS256) the proxy sends the app in <c>teleport-jwt-assertion</c>; valid as long as the session.</summary>
    [Id(9)] public string Jwt { get; init; } = "";
    [Id(10)] public string ClientAddress { get; init; } = "";
    /// <summary>
    /// The value of the <c>__Host-grv_app_session_subject</c> cookie set beside the session cookie: a secret of this
    /// session, so a session cookie is honoured only together with its own subject cookie.
    /// </summary>
    [Id(11)] public string SubjectToken { get; init; } = "";

    public bool IsExpired(DateTimeOffset now) => Expires <= now;
}

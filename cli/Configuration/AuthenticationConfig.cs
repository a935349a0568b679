namespace Teleport.Orleans.Configuration;

/// <summary>auth_service.authentication: the cluster's authentication preference.</summary>
public sealed class AuthenticationConfig
{
    /// <summary>type: "local" (default), "github", "oidc" or "saml".</summary>
    /// <summary>
    /// True when the file sets the authentication preference. As in Teleport, a preference from the file replaces the
    /// stored one at start; otherwise the stored one (e.g. from <c>tctl create</c>) stays.
    /// </summary>
    public bool IsSet { get; init; }

    public string Type { get; init; } = "local";

    /// <summary>second_factor: default otp. Ignored when <see cref="SecondFactors"/> is set.</summary>
    public SecondFactorMode SecondFactor { get; init; } = SecondFactorMode.Otp;

    /// <summary>second_factors: the newer list form (otp, webauthn, sso); takes precedence when not empty.</summary>
    public IReadOnlyList<SecondFactorType> SecondFactors { get; init; } = [];

    /// <summary>connector_name: the default SSO connector for "tsh login"; none when null.</summary>
    public string? ConnectorName { get; init; }

    public WebauthnConfig Webauthn { get; init; } = new();
}

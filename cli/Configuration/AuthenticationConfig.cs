namespace Teleport.Orleans.Configuration;

/// <summary>auth_service.authentication: the cluster's authentication preference.</summary>
public sealed class AuthenticationConfig
{
    /// <summary>type: "local" (default), "github", "oidc" or "saml".</summary>
    public string Type { get; init; } = "local";

    /// <summary>second_factor: default otp. Ignored when <see cref="SecondFactors"/> is set.</summary>
    public SecondFactorMode SecondFactor { get; init; } = SecondFactorMode.Otp;

    /// <summary>second_factors: the newer list form (otp, webauthn, sso); takes precedence when not empty.</summary>
    public IReadOnlyList<SecondFactorType> SecondFactors { get; init; } = [];

    /// <summary>connector_name: the default SSO connector for "tsh login"; none when null.</summary>
    public string? ConnectorName { get; init; }

    public WebauthnConfig Webauthn { get; init; } = new();
}

namespace Teleport.Orleans.Configuration;

/// <summary>auth_service.authentication.webauthn.</summary>
public sealed class WebauthnConfig
{
    /// <summary>rp_id: the WebAuthn relying-party id, usually the proxy's domain. Must never change once devices are registered.</summary>
    public string? RpId { get; init; }
}

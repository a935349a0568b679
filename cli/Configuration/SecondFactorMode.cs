namespace Teleport.Orleans.Configuration;

/// <summary>auth_service.authentication.second_factor (the older single-value form of the MFA policy).</summary>
public enum SecondFactorMode
{
    Off,
    Otp,

    /// <summary>MFA required; OTP and WebAuthn both allowed.</summary>
    On,

    /// <summary>MFA used when the user has registered a device.</summary>
    Optional,
    Webauthn,
}

namespace Teleport.Orleans.Configuration;

/// <summary>An entry of auth_service.authentication.second_factors (the newer list form of the MFA policy).</summary>
public enum SecondFactorType
{
    Otp,
    Webauthn,
    Sso,
}

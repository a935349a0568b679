using OtpNet;

namespace Teleport.Orleans.Grains.Users;

/// <summary>RFC 6238 TOTP (30 s, 6 digits, SHA-1 as authenticator apps expect), one step of drift either way.</summary>
public static class TotpVerifier
{
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    /// <summary>The otpauth:// URI authenticator apps scan.</summary>
    public static string KeyUri(string secret, string user, string clusterName) =>
        new OtpUri(OtpType.Totp, secret, user, clusterName).ToString();

    /// <summary>Returns the matched time step, or null. A step at or below <paramref name="lastUsedStep"/> is a replay and fails.</summary>
    public static long? Verify(string secret, string code, DateTimeOffset now, long lastUsedStep)
    {
        if (secret.Length == 0 || code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(Base32Encoding.ToBytes(secret));
        if (!totp.VerifyTotp(now.UtcDateTime, code, out var step, VerificationWindow.RfcSpecifiedNetworkDelay))
        {
            return null;
        }

        return step > lastUsedStep ? step : null;
    }

    /// <summary>The current code for a secret (used by tests and by tooling that enrols on a user's behalf).</summary>
    public static string Compute(string secret, DateTimeOffset now) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(now.UtcDateTime);
}

using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Grains.Users;

/// <summary>Password rules and hashing: Teleport's length limits (PCI DSS 8.3.6), bcrypt for storage.</summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 128;
    private const int WorkFactor = 10;

    // Verifying against this when the user has no hash keeps the reply time the same as a real check.
    private static readonly Lazy<string> DummyHash = new(() => Hash("not-a-real-password-just-timing"));

    public static void Validate(string password)
    {
        if (password.Length < MinLength)
        {
            throw AuthException.BadParameter($"password is too short: it needs at least {MinLength} characters");
        }

        if (password.Length > MaxLength)
        {
            throw AuthException.BadParameter($"password is too long: at most {MaxLength} characters");
        }
    }

    /// <summary>bcrypt over a SHA-384 pre-hash, so that characters past bcrypt's 72-byte limit still count.</summary>
    public static string Hash(string password) =>
        BCrypt.Net.BCrypt.EnhancedHashPassword(password, BCrypt.Net.HashType.SHA384, WorkFactor);

    public static bool Verify(string password, string hash)
    {
        if (hash.Length == 0)
        {
            BCrypt.Net.BCrypt.EnhancedVerify(password, DummyHash.Value, BCrypt.Net.HashType.SHA384);
            return false;
        }

        return BCrypt.Net.BCrypt.EnhancedVerify(password, hash, BCrypt.Net.HashType.SHA384);
    }
}

namespace Teleport.Orleans.Access.Rbac;

/// <summary>Teleport's <c>IsValidUnixUser</c>: the loose rules Debian's useradd accepts.</summary>
internal static class UnixLogin
{
    private const int MaxLength = 32;

    public static bool IsValid(string login)
    {
        if (login.Length is 0 or > MaxLength || login[0] == '-')
        {
            return false;
        }

        foreach (var c in login)
        {
            // ':' breaks passwd entries and '/' breaks home directories.
            if (c is ':' or '/' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }
}
